/* limits.h — every input limit of smartv4 in one place. Exceeding one is SV4_ERR_LIMIT with a clear message,
 * never a crash. Each module owns its section; values are compile-time defaults. */
#ifndef SV4_LIMITS_H
#define SV4_LIMITS_H

/* ---- text ---------------------------------------------------------------------------------------------- */
#define SV4_MAX_TEXT_BYTES (64u * 1024u * 1024u)   /* one document's extracted text */
#define SV4_MAX_TRAIN_BYTES (16u * 1024u * 1024u)  /* one training file of the model (data/train) */
#define SV4_MAX_LANGID_BYTES 4096u                 /* prefix of a text used for language identification */

/* ---- classify ------------------------------------------------------------------------------------------ */
#define SV4_MAX_RULE_FILE_BYTES (4u * 1024u * 1024u)
#define SV4_MAX_RULES 100000u                      /* rules over all schemes and languages */
#define SV4_MAX_TERMS 200000u                      /* literal terms (vectorscan patterns) */
#define SV4_MAX_TERM_BYTES 256u                    /* one term's normalised length */
#define SV4_MAX_WINDOW_WORDS 200u                  /* co-occurrence window of a rule */
#define SV4_MAX_JSONL_LINE_BYTES (16u * 1024u * 1024u)
#define SV4_MAX_EVIDENCE_PER_LABEL 50u             /* evidence items kept per label (strongest first) */
#define SV4_MAX_HITS (1u << 28)                    /* phrase matches in one text */

/* ---- ingest -------------------------------------------------------------------------------------------- */
#define SV4_MAX_UPLOAD_BYTES (100u * 1024u * 1024u) /* one uploaded or imported file */
#define SV4_MAX_PDF_PAGES 2000u
#define SV4_MAX_ZIP_ENTRIES 10000u                 /* DOCX/ODT/XLSX containers */
#define SV4_MAX_ZIP_ENTRY_BYTES (256u * 1024u * 1024u) /* one uncompressed entry */
#define SV4_MAX_ZIP_RATIO 100u                     /* uncompressed / compressed, per entry (zip bombs) */
#define SV4_ZIP_RATIO_MIN_BYTES (1u * 1024u * 1024u) /* entries up to this size are exempt from the ratio */
#define SV4_MAX_XML_DEPTH 256u

/* ---- bim ----------------------------------------------------------------------------------------------- */
#define SV4_MAX_STEP_BYTES (4ull * 1024u * 1024u * 1024u) /* one IFC file */
#define SV4_MAX_STEP_ENTITIES 50000000u
#define SV4_MAX_STEP_NESTING 64u                   /* nested lists in one entity */
#define SV4_MAX_STEP_STRING_BYTES (1u * 1024u * 1024u)
#define SV4_MAX_STEP_REF_DEPTH 256u                /* chains of references followed while decoding */
#define SV4_MAX_BIM_TABLE_BYTES (16u * 1024u * 1024u) /* one energy data table (TABULA, climate, costs, funding) */
#define SV4_MAX_TABULA_ROWS 20000u                 /* building variants in one TABULA table */
#define SV4_MAX_BIM_TABLE_ROWS 10000u              /* rows of a climate / carrier / cost / funding table */
#define SV4_MAX_BIM_VARIANTS 64u                   /* renovation variants assessed for one building */

/* ---- server / store ------------------------------------------------------------------------------------ */
#define SV4_MAX_BODY_BYTES (100u * 1024u * 1024u)  /* one request body (multipart upload included) */
#define SV4_MAX_JSON_BODY_BYTES (8u * 1024u * 1024u)
#define SV4_MAX_JSON_DEPTH 32u
#define SV4_MAX_QUERY_BYTES 2048u                  /* search query text */
#define SV4_MAX_SNIPPET_SCAN_BYTES (1u << 20)      /* of one text column, read to cut a search snippet */
#define SV4_MAX_URL_BYTES 8192u
#define SV4_MAX_PAGE_SIZE 1000u                    /* results per page of a search (pages themselves unbounded) */
#define SV4_MAX_COMPARE_RECORDS 50u
#define SV4_MAX_FIELD_BYTES (1u * 1024u * 1024u)   /* one text field of a record */

#endif
