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

#endif
