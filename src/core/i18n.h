#ifndef CCHC_I18N_H
#define CCHC_I18N_H
/* User-visible strings: _("…") marks them for gettext (xgettext -k_ -kN_).
 * Vietnamese is the source language; with no catalog selected the msgid is
 * returned as is, without gettext's locking. */
#include <stdbool.h>

/* Returns the translation of msgid in the selected catalog, or msgid itself. */
const char *i18n_text(const char *msgid) __attribute__((format_arg(1)));
/* Selects gettext translations for domain "cchc" from localedir (e.g. English
 * once a catalog exists); false when none could be bound. Call before threads start. */
bool i18n_enable(const char *localedir);

#define _(s) i18n_text(s)
#define N_(s) (s)
#endif
