#ifndef CCHC_HANDLERS_H
#define CCHC_HANDLERS_H
/* Every route handler, grouped by the file that implements it. */
#include "web/http.h"

struct api_op;

/* page_auth.c */
void h_login_form(req *r, resp *w);
void h_login_post(req *r, resp *w);
void h_logout_post(req *r, resp *w);
void h_api_session_post(req *r, resp *w);
void h_api_session_delete(req *r, resp *w);
/* page_profile.c */
void h_profile(req *r, resp *w);
void h_profile_password(req *r, resp *w);
void h_profile_token_add(req *r, resp *w);
void h_profile_token_revoke(req *r, resp *w);
/* page_static.c */
void h_static(req *r, resp *w);
void h_file_download(req *r, resp *w);
void h_healthz(req *r, resp *w);
/* page_dashboard.c */
void h_dashboard(req *r, resp *w);
/* page_tasks.c */
void h_task_list(req *r, resp *w);
void h_my_tasks(req *r, resp *w);
void h_task_view(req *r, resp *w);
void h_task_update_post(req *r, resp *w);
/* page_reports.c */
void h_reports(req *r, resp *w);
void h_period_open(req *r, resp *w);
void h_period_view(req *r, resp *w);
void h_unit_report_submit(req *r, resp *w);
void h_unit_report_approve(req *r, resp *w);
void h_department_report(req *r, resp *w);
/* page_targets.c */
void h_targets(req *r, resp *w);
void h_target_measure_post(req *r, resp *w);
/* page_public.c */
void h_public_index(req *r, resp *w);
void h_public_plan(req *r, resp *w);
/* page_admin.c (units, users) and page_import.c */
void h_admin_home(req *r, resp *w);
void h_admin_units(req *r, resp *w);
void h_admin_unit_add(req *r, resp *w);
void h_admin_unit_change(req *r, resp *w);
void h_admin_users(req *r, resp *w);
void h_admin_user_add(req *r, resp *w);
void h_admin_user_change(req *r, resp *w);
void h_admin_import_form(req *r, resp *w);
void h_admin_import_upload(req *r, resp *w);
void h_admin_import_view(req *r, resp *w);
void h_admin_import_confirm(req *r, resp *w);
/* api_plans.c */
void h_api_plans(req *r, resp *w);
void h_api_plan(req *r, resp *w);
void h_api_plan_tasks(req *r, resp *w);
void h_api_task(req *r, resp *w);
void h_api_task_update(req *r, resp *w);
void h_api_units(req *r, resp *w);
void h_api_targets(req *r, resp *w);
void h_api_reports(req *r, resp *w);
void h_api_report_period(req *r, resp *w);
/* page_calendar.c */
void h_admin_calendar(req *r, resp *w);
void h_admin_calendar_day_add(req *r, resp *w);
void h_admin_calendar_day_remove(req *r, resp *w);
void h_admin_calendar_year_confirm(req *r, resp *w);
/* api_calendar.c */
void h_api_calendar_year(req *r, resp *w);
void h_api_calendar_add(req *r, resp *w);
/* api_openapi.c */
void h_api_openapi(req *r, resp *w);
/* api/api_procedures.c, api/api_dossiers.c, api/api_dossier_event.c: the one-stop shop */
void h_api_procedures(req *r, resp *w);
void h_api_procedure(req *r, resp *w);
void h_api_procedure_put(req *r, resp *w);
void h_api_dossiers(req *r, resp *w);
void h_api_dossier(req *r, resp *w);
void h_api_dossier_create(req *r, resp *w);
void h_api_dossier_event(req *r, resp *w);
void h_api_dossier_stats(req *r, resp *w);
/* onestop/page_inbox.c, page_dossier.c, page_forms.c: the one-stop back office's pages */
void h_onestop_inbox(req *r, resp *w);
void h_onestop_intake_form(req *r, resp *w);
void h_onestop_intake_post(req *r, resp *w);
void h_dossier_view(req *r, resp *w);
void h_dossier_event_post(req *r, resp *w);
void h_dossier_form(req *r, resp *w);
/* onestop/page_register.c */
void h_onestop_register(req *r, resp *w);
void h_onestop_register_csv(req *r, resp *w);
/* The contracts of the JSON operations, one beside each handler (src/web/api/). */
extern const struct api_op OP_HEALTH, OP_OPENAPI, OP_CREATE_SESSION, OP_DELETE_SESSION, OP_LIST_PLANS, OP_GET_PLAN,
    OP_LIST_PLAN_TASKS, OP_GET_TASK, OP_POST_TASK_UPDATE, OP_LIST_UNITS, OP_LIST_TARGETS, OP_LIST_REPORT_PERIODS,
    OP_GET_REPORT_PERIOD, OP_ADD_WORKING_DAYS, OP_GET_CALENDAR_YEAR, OP_LIST_PROCEDURES, OP_GET_PROCEDURE, OP_PUT_PROCEDURE,
    OP_LIST_DOSSIERS, OP_GET_DOSSIER, OP_CREATE_DOSSIER, OP_POST_DOSSIER_EVENT, OP_DOSSIER_STATS;
#endif
