/* cli/demo: placeholder until the command lands. */
#include "cli/cli.h"

int cmd_demo(int argc, char **argv)
{
    (void)argc;
    return cli_fail(argv[0], "not built yet");
}
