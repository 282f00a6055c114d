#ifndef CCHC_CLI_CALENDAR_H
#define CCHC_CLI_CALENDAR_H
/* `cchc calendar ...`: lunar conversions, working days and holiday listings
 * from the bundled calendar data, or with --db FILE from the bundled data plus
 * the admin edits stored in that database (argv[0] == "calendar"). Prints to stdout,
 * errors to stderr. Returns the process exit status: 0 ok, 1 usage error,
 * 2 invalid input (e.g. a lunar date that does not exist). */
int cli_calendar(int argc, char **argv);
#endif
