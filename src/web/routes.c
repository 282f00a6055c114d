/* The route table: every route with its capability, kind and CSRF rule.
 * tests/unit/test_routes.c walks it: no route without a capability, no
 * state-changing route without CSRF, every JSON route with a declared contract
 * (its api_op) and so in the OpenAPI document. */
#include "web/router.h"
#include "web/handlers.h"
#include "web/api/api_op.h"

#define H KIND_HTML
#define J KIND_JSON
#define NOCSRF CSRF_NONE
#define CSRF CSRF_SESSION

const route ROUTES[] = {
    /* method  pattern                           handler                  capability          kind csrf        body */
    {"GET",  "/healthz",                         h_healthz,               CAP_PUBLIC,         J, NOCSRF,     BODY_DEFAULT, "Liveness check", false, &OP_HEALTH, false},
    {"GET",  "/static/{name}",                   h_static,                CAP_PUBLIC,         H, NOCSRF,     BODY_DEFAULT, "Bundled CSS and JS", false, NULL, false},
    {"GET",  "/login",                           h_login_form,            CAP_PUBLIC,         H, NOCSRF,     BODY_DEFAULT, "Login form", false, NULL, false},
    {"POST", "/login",                           h_login_post,            CAP_PUBLIC,         H, CSRF_LOGIN, BODY_DEFAULT, "Log in", false, NULL, false},
    {"POST", "/logout",                          h_logout_post,           CAP_LOGGED_IN,      H, CSRF,       BODY_DEFAULT, "Log out", false, NULL, false},
    {"GET",  "/profile",                         h_profile,               CAP_LOGGED_IN,      H, NOCSRF,     BODY_DEFAULT, "Profile and API tokens", false, NULL, false},
    {"POST", "/profile/password",                h_profile_password,      CAP_LOGGED_IN,      H, CSRF,       BODY_DEFAULT, "Change own password", false, NULL, false},
    {"POST", "/profile/tokens",                  h_profile_token_add,     CAP_LOGGED_IN,      H, CSRF,       BODY_DEFAULT, "Create an API token", false, NULL, false},
    {"POST", "/profile/tokens/{id}/revoke",      h_profile_token_revoke,  CAP_LOGGED_IN,      H, CSRF,       BODY_DEFAULT, "Revoke an API token", false, NULL, false},
    {"GET",  "/",                                h_dashboard,             CAP_READ_INTERNAL,  H, NOCSRF,     BODY_DEFAULT, "Dashboard", true, NULL, false},
    {"GET",  "/tasks",                           h_task_list,             CAP_READ_INTERNAL,  H, NOCSRF,     BODY_DEFAULT, "Task list with filters", true, NULL, false},
    {"GET",  "/my",                              h_my_tasks,              CAP_READ_INTERNAL,  H, NOCSRF,     BODY_DEFAULT, "Tasks of the user's unit", true, NULL, false},
    {"GET",  "/tasks/{id}",                      h_task_view,             CAP_READ_INTERNAL,  H, NOCSRF,     BODY_DEFAULT, "Task and timeline", false, NULL, false},
    {"POST", "/tasks/{id}/updates",              h_task_update_post,      CAP_UPDATE_TASK,    H, CSRF,       BODY_UPLOAD,  "Post a progress update", false, NULL, false},
    {"GET",  "/files/{sha}",                     h_file_download,         CAP_PUBLIC,         H, NOCSRF,     BODY_DEFAULT, "Download evidence", false, NULL, false},
    {"GET",  "/reports",                         h_reports,               CAP_READ_INTERNAL,  H, NOCSRF,     BODY_DEFAULT, "Reporting periods", false, NULL, false},
    {"POST", "/reports",                         h_period_open,           CAP_MANAGE_PLANS,   H, CSRF,       BODY_DEFAULT, "Open a reporting period", false, NULL, false},
    {"GET",  "/reports/{id}",                    h_period_view,           CAP_READ_INTERNAL,  H, NOCSRF,     BODY_DEFAULT, "Period: submissions", false, NULL, false},
    {"POST", "/reports/{id}/submit",             h_unit_report_submit,    CAP_SUBMIT_REPORT,  H, CSRF,       BODY_DEFAULT, "Submit a unit report", false, NULL, false},
    {"POST", "/reports/{id}/approve/{unit}",     h_unit_report_approve,   CAP_APPROVE_REPORT, H, CSRF,       BODY_DEFAULT, "Approve a unit report", false, NULL, false},
    {"GET",  "/reports/{id}/department",         h_department_report,     CAP_READ_INTERNAL,  H, NOCSRF,     BODY_DEFAULT, "Printable department report", false, NULL, false},
    {"GET",  "/targets",                         h_targets,               CAP_READ_INTERNAL,  H, NOCSRF,     BODY_DEFAULT, "Targets", false, NULL, false},
    {"POST", "/targets/{id}/measurements",       h_target_measure_post,   CAP_MANAGE_PLANS,   H, CSRF,       BODY_UPLOAD,  "Record a measured value", false, NULL, false},
    {"GET",  "/public",                          h_public_index,          CAP_PUBLIC,         H, NOCSRF,     BODY_DEFAULT, "Public plans", false, NULL, false},
    {"GET",  "/public/plans/{id}",               h_public_plan,           CAP_PUBLIC,         H, NOCSRF,     BODY_DEFAULT, "Public plan page", false, NULL, false},
    {"GET",  "/onestop",                         h_onestop_inbox,         CAP_DOSSIER_READ,   H, NOCSRF,     BODY_DEFAULT, "One-stop inbox: dossiers waiting", false, NULL, false},
    {"GET",  "/onestop/intake",                  h_onestop_intake_form,   CAP_DOSSIER_INTAKE, H, NOCSRF,     BODY_DEFAULT, "Counter intake form", false, NULL, false},
    {"POST", "/onestop/intake",                  h_onestop_intake_post,   CAP_DOSSIER_INTAKE, H, CSRF,       BODY_DEFAULT, "Receive a dossier at the counter", false, NULL, false},
    {"GET",  "/onestop/register",                h_onestop_register,      CAP_DOSSIER_READ,   H, NOCSRF,     BODY_DEFAULT, "The dossier register (form 06/07), printable", false, NULL, false},
    {"GET",  "/onestop/register.csv",            h_onestop_register_csv,  CAP_DOSSIER_READ,   H, NOCSRF,     BODY_DEFAULT, "The dossier register as CSV for Excel", false, NULL, false},
    {"GET",  "/dossiers/{code}",                 h_dossier_view,          CAP_DOSSIER_READ,   H, NOCSRF,     BODY_DEFAULT, "A dossier: facts, actions, timeline", false, NULL, true},
    {"POST", "/dossiers/{code}/events",          h_dossier_event_post,    CAP_DOSSIER_ACT,    H, CSRF,       BODY_DEFAULT, "Apply an event to a dossier", false, NULL, false},
    {"GET",  "/dossiers/{code}/forms/{no}",      h_dossier_form,          CAP_DOSSIER_READ,   H, NOCSRF,     BODY_DEFAULT, "A form of the dossier's legal regime (print)", false, NULL, false},
    {"GET",  "/admin",                           h_admin_home,            CAP_ADMIN,          H, NOCSRF,     BODY_DEFAULT, "Administration", false, NULL, false},
    {"GET",  "/admin/units",                     h_admin_units,           CAP_ADMIN,          H, NOCSRF,     BODY_DEFAULT, "Unit tree", false, NULL, false},
    {"POST", "/admin/units",                     h_admin_unit_add,        CAP_ADMIN,          H, CSRF,       BODY_DEFAULT, "Add a unit", false, NULL, false},
    {"POST", "/admin/units/{id}",                h_admin_unit_change,     CAP_ADMIN,          H, CSRF,       BODY_DEFAULT, "Rename, merge or dissolve a unit", false, NULL, false},
    {"GET",  "/admin/users",                     h_admin_users,           CAP_ADMIN,          H, NOCSRF,     BODY_DEFAULT, "Users", false, NULL, false},
    {"POST", "/admin/users",                     h_admin_user_add,        CAP_ADMIN,          H, CSRF,       BODY_DEFAULT, "Add a user", false, NULL, false},
    {"POST", "/admin/users/{id}",                h_admin_user_change,     CAP_ADMIN,          H, CSRF,       BODY_DEFAULT, "Change a user", false, NULL, false},
    {"GET",  "/admin/imports",                   h_admin_import_form,     CAP_ADMIN,          H, NOCSRF,     BODY_DEFAULT, "Plan import form", false, NULL, false},
    {"POST", "/admin/imports",                   h_admin_import_upload,   CAP_ADMIN,          H, CSRF,       BODY_UPLOAD,  "Upload a plan CSV", false, NULL, false},
    {"GET",  "/admin/imports/{id}",              h_admin_import_view,     CAP_ADMIN,          H, NOCSRF,     BODY_DEFAULT, "Import preview", false, NULL, false},
    {"POST", "/admin/imports/{id}/confirm",      h_admin_import_confirm,  CAP_ADMIN,          H, CSRF,       BODY_DEFAULT, "Apply an import", false, NULL, false},
    {"GET",  "/admin/calendar",                  h_admin_calendar,        CAP_ADMIN,          H, NOCSRF,     BODY_DEFAULT, "Working-day calendar of a year (?year=)", false, NULL, false},
    {"POST", "/admin/calendar/days",             h_admin_calendar_day_add, CAP_ADMIN,         H, CSRF,       BODY_DEFAULT, "Add a day off or a make-up working day", false, NULL, false},
    {"POST", "/admin/calendar/days/remove",      h_admin_calendar_day_remove, CAP_ADMIN,      H, CSRF,       BODY_DEFAULT, "Remove a listed day", false, NULL, false},
    {"POST", "/admin/calendar/years/{year}/confirm", h_admin_calendar_year_confirm, CAP_ADMIN, H, CSRF,      BODY_DEFAULT, "Confirm a provisional year", false, NULL, false},
    {"POST", "/api/v1/session",                  h_api_session_post,      CAP_PUBLIC,         J, CSRF_LOGIN, BODY_DEFAULT, "Log in; returns csrf_token", false, &OP_CREATE_SESSION, false},
    {"DELETE", "/api/v1/session",                h_api_session_delete,    CAP_LOGGED_IN,      J, CSRF,       BODY_DEFAULT, "Log out", false, &OP_DELETE_SESSION, false},
    {"GET",  "/api/v1/openapi.json",             h_api_openapi,           CAP_PUBLIC,         J, NOCSRF,     BODY_DEFAULT, "This description", false, &OP_OPENAPI, false},
    {"GET",  "/api/v1/plans",                    h_api_plans,             CAP_PUBLIC,         J, NOCSRF,     BODY_DEFAULT, "Plans", false, &OP_LIST_PLANS, false},
    {"GET",  "/api/v1/plans/{id}",               h_api_plan,              CAP_PUBLIC,         J, NOCSRF,     BODY_DEFAULT, "A plan with areas", false, &OP_GET_PLAN, false},
    {"GET",  "/api/v1/plans/{id}/tasks",         h_api_plan_tasks,        CAP_PUBLIC,         J, NOCSRF,     BODY_DEFAULT, "Tasks of a plan (filters: area, unit, status, q, overdue, page)", false, &OP_LIST_PLAN_TASKS, false},
    {"GET",  "/api/v1/tasks/{id}",               h_api_task,              CAP_PUBLIC,         J, NOCSRF,     BODY_DEFAULT, "A task", false, &OP_GET_TASK, false},
    {"POST", "/api/v1/tasks/{id}/updates",       h_api_task_update,       CAP_UPDATE_TASK,    J, CSRF,       BODY_UPLOAD,  "Post a progress update (JSON or multipart)", false, &OP_POST_TASK_UPDATE, false},
    {"GET",  "/api/v1/units",                    h_api_units,             CAP_PUBLIC,         J, NOCSRF,     BODY_DEFAULT, "Units", false, &OP_LIST_UNITS, false},
    {"GET",  "/api/v1/targets",                  h_api_targets,           CAP_PUBLIC,         J, NOCSRF,     BODY_DEFAULT, "Targets of a plan (?plan=)", false, &OP_LIST_TARGETS, false},
    {"GET",  "/api/v1/reports",                  h_api_reports,           CAP_READ_INTERNAL,  J, NOCSRF,     BODY_DEFAULT, "Reporting periods", false, &OP_LIST_REPORT_PERIODS, false},
    {"GET",  "/api/v1/reports/{id}",             h_api_report_period,     CAP_READ_INTERNAL,  J, NOCSRF,     BODY_DEFAULT, "A period: submissions and department report data", false, &OP_GET_REPORT_PERIOD, false},
    {"GET",  "/api/v1/procedures",               h_api_procedures,        CAP_PUBLIC,         J, NOCSRF,     BODY_DEFAULT, "The procedure catalogue (TTHC)", false, &OP_LIST_PROCEDURES, false},
    {"POST", "/api/v1/procedures",               h_api_procedure_put,     CAP_CATALOGUE,      J, CSRF,       BODY_DEFAULT, "Add a procedure or a new version", false, &OP_PUT_PROCEDURE, false},
    {"GET",  "/api/v1/procedures/{code}",        h_api_procedure,         CAP_PUBLIC,         J, NOCSRF,     BODY_DEFAULT, "A procedure", false, &OP_GET_PROCEDURE, false},
    {"GET",  "/api/v1/dossiers",                 h_api_dossiers,          CAP_DOSSIER_READ,   J, NOCSRF,     BODY_DEFAULT, "Dossiers (state, procedure, unit, from, to)", false, &OP_LIST_DOSSIERS, false},
    {"POST", "/api/v1/dossiers",                 h_api_dossier_create,    CAP_DOSSIER_INTAKE, J, CSRF,       BODY_DEFAULT, "Receive a dossier at the counter", false, &OP_CREATE_DOSSIER, false},
    {"GET",  "/api/v1/stats/dossiers",           h_api_dossier_stats,     CAP_DOSSIER_READ,   J, NOCSRF,     BODY_DEFAULT, "One-stop statistics of a period", false, &OP_DOSSIER_STATS, false},
    {"GET",  "/api/v1/dossiers/{code}",          h_api_dossier,           CAP_DOSSIER_READ,   J, NOCSRF,     BODY_DEFAULT, "A dossier with its timeline", false, &OP_GET_DOSSIER, true},
    {"POST", "/api/v1/dossiers/{code}/events",   h_api_dossier_event,     CAP_DOSSIER_ACT,    J, CSRF,       BODY_DEFAULT, "Apply an event to a dossier", false, &OP_POST_DOSSIER_EVENT, false},
    /* /add before /{year}: the first matching pattern wins */
    {"GET",  "/api/v1/calendar/add",             h_api_calendar_add,      CAP_PUBLIC,         J, NOCSRF,     BODY_DEFAULT, "Working days after a date (?from=&days=&count_first=&cutoff=&at=)", false, &OP_ADD_WORKING_DAYS, false},
    {"GET",  "/api/v1/calendar/{year}",          h_api_calendar_year,     CAP_PUBLIC,         J, NOCSRF,     BODY_DEFAULT, "Working-day calendar of a year (?all=1: every day)", false, &OP_GET_CALENDAR_YEAR, false},
};
const size_t ROUTES_COUNT = sizeof ROUTES / sizeof ROUTES[0];
