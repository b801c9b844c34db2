/* pq.h — libpq, loaded when the PostgreSQL backend is first opened instead of at every start of smartv4.
 * Linking libpq brings its chain of libraries (Kerberos, LDAP, SASL, TLS, ~13 shared objects) into every process:
 * ~13 ms of dynamic loading at each start of the command line, which mostly classifies text and never connects to
 * PostgreSQL. pg.c includes this header instead of <libpq-fe.h> and calls the functions by their usual names,
 * which the macros below route through the table that sv4__pq_load fills (dlopen of libpq's soname, dlsym of each
 * function). */
#ifndef SV4_STORE_PQ_H
#define SV4_STORE_PQ_H

#include <libpq-fe.h>

#include "sv4/error.h"

/* The soname of libpq's client library: 5 since PostgreSQL 8.1 (2005); its ABI only grows. */
#define SV4__LIBPQ_SONAME "libpq.so.5"

/* Every libpq function pg.c uses, with its own type. */
#define SV4__PQ_FUNCTIONS(X)                                                                                   \
  X(PQconnectdbParams)                                                                                         \
  X(PQstatus)                                                                                                  \
  X(PQerrorMessage) X(PQfinish) X(PQreset) X(PQsetNoticeProcessor) X(PQexec) X(PQexecParams) X(PQresultStatus) \
      X(PQresultErrorField) X(PQclear) X(PQntuples) X(PQgetvalue) X(PQgetlength) X(PQgetisnull) X(PQcmdTuples) \
          X(PQcmdStatus)

#define SV4__PQ_FIELD(f) __typeof__(f) *f;
struct sv4__pq {
  SV4__PQ_FUNCTIONS(SV4__PQ_FIELD)
};
#undef SV4__PQ_FIELD
extern struct sv4__pq sv4__pq;

/* Loads libpq once (thread-safe); SV4_ERR_DB with the reason when it cannot be loaded. */
sv4_rc sv4__pq_load(sv4_error *err);

/* From here on the names call through the table (except in pq.c, which fills it). */
#ifndef SV4__PQ_LOADER
#define PQconnectdbParams sv4__pq.PQconnectdbParams
#define PQstatus sv4__pq.PQstatus
#define PQerrorMessage sv4__pq.PQerrorMessage
#define PQfinish sv4__pq.PQfinish
#define PQreset sv4__pq.PQreset
#define PQsetNoticeProcessor sv4__pq.PQsetNoticeProcessor
#define PQexec sv4__pq.PQexec
#define PQexecParams sv4__pq.PQexecParams
#define PQresultStatus sv4__pq.PQresultStatus
#define PQresultErrorField sv4__pq.PQresultErrorField
#define PQclear sv4__pq.PQclear
#define PQntuples sv4__pq.PQntuples
#define PQgetvalue sv4__pq.PQgetvalue
#define PQgetlength sv4__pq.PQgetlength
#define PQgetisnull sv4__pq.PQgetisnull
#define PQcmdTuples sv4__pq.PQcmdTuples
#define PQcmdStatus sv4__pq.PQcmdStatus
#endif

#endif
