/* Message catalogs (see core/i18n.h): the gettext look-up lives outside core/,
 * which only marks and asks for strings. */
#include "core/i18n.h"
#include <libintl.h>
#include <stddef.h>

static bool enabled;

const char *i18n_text(const char *msgid)
{
    return enabled ? dgettext("cchc", msgid) : msgid;
}

bool i18n_enable(const char *localedir)
{
    enabled = bindtextdomain("cchc", localedir) != NULL;
    return enabled;
}
