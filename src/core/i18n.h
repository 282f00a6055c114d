#ifndef CCHC_I18N_H
#define CCHC_I18N_H
#include <libintl.h>
#define _(s) gettext(s)
#define N_(s) (s)
#endif
