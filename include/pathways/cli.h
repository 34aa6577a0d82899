/**
 * @file cli.h
 * @brief Sub-commands of the `pathways` binary that live outside main.c.
 */
#ifndef PATHWAYS_CLI_H
#define PATHWAYS_CLI_H

#include <stdio.h>

/**
 * `pathways user create --email E --role R [--display-name N] [config flags]`:
 * create an account; the password is the first line of @a in (never argv).
 * @param argc, argv  the arguments after "user"
 * @return the process exit status (0, 1 failure, 2 usage)
 */
int pw_cli_user(int argc, char **argv, FILE *in);

struct pw_route;

/**
 * `pathways sql --list | NAME...`: print the SQL of the statements the
 * service prepares for @a routes (a tool for benchmarks; no database).
 * @param argc, argv  the arguments after "sql"
 * @return the process exit status (0, 1 unknown name, 2 usage)
 */
int pw_cli_sql(int argc, char **argv, const struct pw_route *routes);

#endif
