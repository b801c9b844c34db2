/* bim_funding.h — the portal's funding records as funding programmes for building assessments (bim_funding.c);
 * used by the /buildings page, POST /api/v1/buildings/assess and `smartv4 bim assess --db`. */
#ifndef SV4_SERVER_BIM_FUNDING_H
#define SV4_SERVER_BIM_FUNDING_H

#include <stddef.h>

#include "sv4/bim.h"
#include "sv4/error.h"
#include "sv4/store.h"

/* The store's funding records that fit a building in `country` (PL, CZ, SK, HU) whose owner is an `applicant`
 * ("household" when NULL): published (not "published": false), not "status": "closed", open to the country
 * ("countries" empty or naming it or "EU"; else the record's "country"), to the applicant ("applicant_types" empty or
 * naming it), and classified under a renovation topic (sv4_funding_kinds_of_codes over the record's effective
 * codes). *out (free() it; NULL when *n is 0) holds *n programmes, each naming its record ("portal funding record
 * #ID"); *nrecords is the number of published funding records in the store — 0 means the store has none and the
 * assessment should use data/funding/ instead. Errors: the store's. */
sv4_rc sv4__bim_store_funding(const sv4_store_ops *ops, sv4_store *store, const char *country, const char *applicant,
                              sv4_funding_programme **out, size_t *n, size_t *nrecords, sv4_error *err);

#endif
