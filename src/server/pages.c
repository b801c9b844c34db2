/* pages.c — server-rendered HTML pages (stubs being filled in). */
#include "server/internal.h"

static void stub(sv4_resp *resp) {
  resp->status = 200;
  resp->content_type = "text/html; charset=utf-8";
  sv4_buf_puts(&resp->body, "<!doctype html><title>smartv4</title><p>smartv4</p>");
}
void sv4__page_home(sv4_req *req, sv4_resp *resp) { (void)req; stub(resp); }
void sv4__page_search(sv4_req *req, sv4_resp *resp) { (void)req; stub(resp); }
void sv4__page_record(sv4_req *req, sv4_resp *resp) { (void)req; stub(resp); }
void sv4__page_compare(sv4_req *req, sv4_resp *resp) { (void)req; stub(resp); }
void sv4__page_classify(sv4_req *req, sv4_resp *resp) { (void)req; stub(resp); }
void sv4__page_review(sv4_req *req, sv4_resp *resp) { (void)req; stub(resp); }
void sv4__page_login(sv4_req *req, sv4_resp *resp) { (void)req; stub(resp); }
void sv4__page_logout(sv4_req *req, sv4_resp *resp) { (void)req; stub(resp); }
void sv4__page_users(sv4_req *req, sv4_resp *resp) { (void)req; stub(resp); }
