#ifndef CCHC_JSPEC_H
#define CCHC_JSPEC_H
/* Declarative JSON objects, after GNU Taler's json specs: one table per
 * object of the API, bound to a C struct by field offsets. The same table
 *   - serialises a struct as JSON (js_write),
 *   - parses and validates a request body into a struct (js_parse), naming
 *     the field that is wrong,
 *   - and emits the object's OpenAPI 3.1 schema and example (js_schema_json).
 * So the API document and the code cannot drift apart. */
#include "core/buf.h"
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    JS_STRING,       /* const char *                                     */
    JS_DATE,         /* const char *, "YYYY-MM-DD" (format: date)         */
    JS_INT,          /* int                                               */
    JS_INT64,        /* int64_t                                           */
    JS_BOOL,         /* bool                                              */
    JS_NUMBER,       /* double                                            */
    JS_OBJECT,       /* a struct of .ref embedded at the offset           */
    JS_OBJECT_PTR,   /* const void * to a struct of .ref (NULL: absent)   */
    JS_ARRAY,        /* const void * to .count_at items of .ref           */
    JS_STRINGS,      /* const char ** to .count_at strings                */
    JS_ANY,          /* json_t * written as it is (free-form object)      */
} js_type;

enum {
    JF_OPTIONAL = 1 << 0,  /* output: omitted when NULL/0/false; input: may be absent */
    JF_NULLABLE = 1 << 1,  /* a NULL pointer (or has_at false) is written as null */
    JF_HAS      = 1 << 2,  /* presence is the bool at .has_at (numbers, nested objects) */
    JF_INLINE   = 1 << 3,  /* JS_OBJECT: its fields are written into this object, not nested */
    JF_READONLY = 1 << 5,  /* set by the server: always written; optional (and ignored) in requests */
    JF_CHARS    = 1 << 4,  /* JS_STRING, JS_DATE: a char array at the offset, not a pointer; "" is its zero value (output only) */
};

struct js_schema;

typedef struct js_field {
    const char *name;
    js_type type;
    size_t offset;
    unsigned flags;
    const struct js_schema *ref;   /* JS_OBJECT, JS_OBJECT_PTR, JS_ARRAY */
    size_t count_at;               /* JS_ARRAY: offset of the int item count */
    size_t has_at;                 /* JF_HAS: offset of the presence bool */
    int max_len;                   /* strings: maximum length in bytes; arrays: most items (0: none) */
    bool ranged;                   /* numbers: min/max apply */
    int64_t min, max;
    const char *const *enums;      /* strings: allowed values, NULL-terminated */
    const char *example;           /* JSON text of an example value (scalars) */
    const char *description;
} js_field;

typedef struct js_schema {
    const char *name;              /* the components/schemas key: "Task" */
    const char *description;
    size_t size;                   /* sizeof the bound struct (array items) */
    const js_field *fields;
    size_t nfields;
} js_schema;

#define JS_SCHEMA(ident, cname, ctype, desc, fields_array) \
    const js_schema ident = {cname, desc, sizeof(ctype), fields_array, sizeof fields_array / sizeof fields_array[0]}

/* Where a request failed its schema: the field's path ("percent") and a code
 * of the error registry (api_errors.h). */
typedef struct {
    char field[128];
    const char *code;
    const char *message;           /* Vietnamese, static */
} js_error;

/* Appends obj (a struct bound by s) to b as one JSON object. */
void js_write(buf *b, const js_schema *s, const void *obj);
/* Fills out (a zeroed struct bound by s) from the JSON object in. Strings
 * point into in, which must outlive out; arrays and JS_OBJECT_PTR objects are
 * allocated (js_free releases them, also after a refusal). Unknown fields,
 * wrong types, missing required fields, lengths, counts and ranges are
 * refused: false, with err naming the field ("steps[2].budget.unit"). */
bool js_parse(const js_schema *s, const json_t *in, void *out, js_error *err);
/* Frees what js_parse allocated in obj (not obj itself, nor its strings). */
void js_free(const js_schema *s, void *obj);
/* The OpenAPI schema of s; nested objects are $refs to #/components/schemas.
 * Fields without JF_OPTIONAL are required (always sent, or must be sent).
 * New reference. */
json_t *js_schema_json(const js_schema *s);
/* An example object of s built from its fields' examples. New reference. */
json_t *js_example(const js_schema *s);
/* The same for a request body: without the JF_READONLY fields. New reference. */
json_t *js_request_example(const js_schema *s);
/* Adds s and every schema it references to seen[] (n used of max, caller-
 * owned) unless already there. Returns the new count. */
size_t js_collect(const js_schema *s, const js_schema **seen, size_t n, size_t max);
#endif
