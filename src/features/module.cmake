# The outbox senders (features/outbox/send.c) use libcurl for SMTP and webhooks.
target_link_libraries(${MODULE_TARGET} PUBLIC PkgConfig::CURL)
