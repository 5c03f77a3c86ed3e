/* cli/regions: placeholder until the command lands. */
#include "cli/cli.h"

int cmd_regions(int argc, char **argv)
{
    (void)argc;
    return cli_fail(argv[0], "not built yet");
}
