/* Form helpers shared by the HTML pages (see form.h). */
#include "web/form.h"
#include "core/i18n.h"
#include <string.h>

const char *form_field(const req *r, const char *name)
{
    const char *v = req_form(r, name);
    return v ? v : "";
}

const char *form_invalid_if(const char *name, const char *bad_field)
{
    return bad_field && strcmp(name, bad_field) == 0 ? " aria-invalid=\"true\" aria-describedby=\"form-error\"" : "";
}

size_t utf8_char_count(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

const char *import_status_label(const char *status)
{
    if (!strcmp(status, "applied")) return _("Đã áp dụng");
    if (!strcmp(status, "cancelled")) return _("Đã hủy");
    return _("Chờ xác nhận");
}
