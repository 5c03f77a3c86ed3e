/* migrations: the embedded migration files (generated), consumed by migrate.c. */
#ifndef LAYAN_MIGRATIONS_H
#define LAYAN_MIGRATIONS_H

struct db_migration {
    const char *file; /* NNNN_name.sql (portable) or NNNN_name.sqlite.sql / .pg.sql */
    const char *sql;
};

extern const struct db_migration db_migrations[];
extern const int db_nmigrations;

#endif
