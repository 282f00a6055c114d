/* cchc routes — prints the route table, one route a line, tab-separated:
 * method, pattern, kind (html|json), capability, summary. Tests (the browser
 * accessibility gate) read it to know every HTML page there is. */
#include "cli.h"
#include "web/router.h"
#include <stdio.h>
#include <string.h>

int cli_routes(int argc, char **argv)
{
    if (argc > 1) {
        bool help = !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");
        fprintf(help ? stdout : stderr, "Usage: cchc routes\n"
                "Prints the route table, one route a line, tab-separated: method, pattern, kind (html|json),\n"
                "capability, summary.\n");
        return help ? 0 : 2;
    }
    for (size_t i = 0; i < ROUTES_COUNT; i++) {
        const route *rt = &ROUTES[i];
        printf("%s\t%s\t%s\t%s\t%s\n", rt->method, rt->pattern, rt->kind == KIND_HTML ? "html" : "json",
               capability_id(rt->cap), rt->summary);
    }
    return 0;
}
