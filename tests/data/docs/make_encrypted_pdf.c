/* make_encrypted_pdf.c — one-time fixture generator (not built by CMake): re-saves strategy.pdf AES-256 encrypted
 * with a user password (password.pdf) and with an owner password only (owner-only.pdf).
 * cc make_encrypted_pdf.c $(pkg-config --static --libs mupdf) -lharfbuzz -lfreetype -lm && ./a.out strategy.pdf password.pdf owner-only.pdf */
#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <string.h>
int main(int argc, char **argv) {
  fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
  pdf_document *doc = pdf_open_document(ctx, argv[1]);
  pdf_write_options o = pdf_default_write_options;
  o.do_encrypt = PDF_ENCRYPT_AES_256;
  o.do_compress = 1;
  strcpy(o.opwd_utf8, "owner");
  strcpy(o.upwd_utf8, "user");
  pdf_save_document(ctx, doc, argv[2], &o);
  strcpy(o.upwd_utf8, "");
  pdf_save_document(ctx, doc, argv[3], &o);
  pdf_drop_document(ctx, doc);
  fz_drop_context(ctx);
  return 0;
}
