/* server.h — the portal: HTTP server (libmicrohttpd), REST API under /api/v1, server-rendered HTML pages and SVG
 * charts. One sv4_server owns the long-lived objects (store, search index, classifier, taxonomy, message
 * catalogues), created at start and shared read-only by the worker threads; each request gets its own arena. */
#ifndef SV4_SERVER_H
#define SV4_SERVER_H

#include "sv4/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sv4_server_opts {
  const char *db;          /* SQLite file or PostgreSQL connection string; default var/smartv4.db */
  const char *listen;      /* address, default 127.0.0.1 */
  int port;                /* default 8080; 0 = pick a free port (see sv4_server_port) */
  int demo;                /* 1: import data/demo when the database has no records */
  int threads;             /* worker threads; 0 = number of cores */
  int quiet;               /* 1: no access log on stderr */
} sv4_server_opts;

typedef struct sv4_server sv4_server;

/* Opens the store, builds the search index, loads the classifier, starts listening. */
sv4_rc sv4_server_start(const sv4_server_opts *opts, sv4_server **out, sv4_error *err);
/* The port actually bound. */
int sv4_server_port(const sv4_server *s);
/* Stops accepting, finishes running requests, frees everything. Accepts NULL. */
void sv4_server_stop(sv4_server *s);

#ifdef __cplusplus
}
#endif
#endif
