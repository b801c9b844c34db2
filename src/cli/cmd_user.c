/* cmd_user.c — smartv4 user add|list|del: portal users (argon2id passwords). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "server/internal.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: smartv4 user add [--db FILE] [--role viewer|contributor|reviewer|admin] NAME\n"
          "       smartv4 user list [--db FILE]\n"
          "       smartv4 user del [--db FILE] NAME\n\n"
          "The password is read from SV4_PASSWORD or, without it, from standard input (one line, at least 8\n"
          "characters). The default role is contributor. The default database is var/smartv4.db.\n");
}

static int read_password(char *buf, size_t n) {
  const char *env = getenv("SV4_PASSWORD");
  if (env) {
    snprintf(buf, n, "%s", env);
    return 0;
  }
  struct termios old, quiet;
  int tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    fprintf(stderr, "password: ");
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  char *ok = fgets(buf, (int)n, stdin);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    fputc('\n', stderr);
  }
  if (!ok) return -1;
  buf[strcspn(buf, "\r\n")] = '\0';
  return 0;
}

int sv4_cmd_user(int argc, char **argv) {
  const char *db = "var/smartv4.db", *role = "contributor", *name = NULL, *sub = NULL;
  for (int i = 1; i < argc; i++) {
    if (sv4_cli_is_help(argv[i])) {
      usage(stdout);
      return 0;
    } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
      db = argv[++i];
    } else if (!strcmp(argv[i], "--role") && i + 1 < argc) {
      role = argv[++i];
    } else if (!sub) {
      sub = argv[i];
    } else if (!name) {
      name = argv[i];
    } else {
      usage(stderr);
      return 2;
    }
  }
  if (!sub || (strcmp(sub, "list") && !name)) {
    usage(stderr);
    return 2;
  }
  const sv4_store_ops *ops = sv4_store_backend_for(db);
  sv4_store *s = NULL;
  sv4_error e;
  sv4_rc rc = ops->open(db, &s, &e);
  if (rc) return sv4_cli_fail("user", rc, "%s", e.msg);
  int code = 0;
  if (!strcmp(sub, "add")) {
    int r = sv4_role_from_name(role);
    char pw[512], hash[128];
    if (r < 0) {
      code = sv4_cli_fail("user", SV4_ERR_USAGE, "unknown role '%s'", role);
    } else if (strlen(name) > 64) {
      code = sv4_cli_fail("user", SV4_ERR_USAGE, "user names are at most 64 characters");
    } else if (read_password(pw, sizeof pw) || strlen(pw) < 8) {
      code = sv4_cli_fail("user", SV4_ERR_USAGE, "a password of at least 8 characters is needed");
    } else if (sv4__password_hash(pw, hash) || (rc = ops->user_put(s, name, hash, (sv4_role)r, &e))) {
      code = sv4_cli_fail("user", rc ? rc : SV4_ERR_NOMEM, "%s", rc ? e.msg : "cannot hash the password");
    } else {
      printf("user %s (%s) saved\n", name, role);
    }
  } else if (!strcmp(sub, "list")) {
    json_t *users = NULL;
    if ((rc = ops->user_list(s, &users, &e))) {
      code = sv4_cli_fail("user", rc, "%s", e.msg);
    } else {
      size_t i;
      json_t *u;
      json_array_foreach(users, i, u) printf("%-24s %-12s %s\n", json_string_value(json_object_get(u, "name")),
                                              json_string_value(json_object_get(u, "role")),
                                              json_string_value(json_object_get(u, "created")));
      json_decref(users);
    }
  } else if (!strcmp(sub, "del")) {
    if ((rc = ops->user_delete(s, name, &e))) code = sv4_cli_fail("user", rc, "%s", e.msg);
  } else {
    usage(stderr);
    code = 2;
  }
  ops->close(s);
  return code;
}
