# Turns a data file into C: `cmake -DIN=file -DOUT=file.c -DFUNC=name -P embed.cmake` writes
# `str FUNC(void)` returning the file's bytes (declared in src/db/refdata.h). Run at build time.
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
file(WRITE ${OUT}.tmp
     "/* generated from ${IN} by src/db/embed.cmake: do not edit */\n"
     "#include \"db/refdata.h\"\n"
     "static const char data[] = {${hex}0x00};\n"
     "str ${FUNC}(void)\n{\n    return (str){data, sizeof data - 1};\n}\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
