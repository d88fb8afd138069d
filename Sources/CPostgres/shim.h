#include <libpq-fe.h>

/* PG_DIAG_* are character-literal macros, which Swift does not import. */
static inline const char *cs_pq_sqlstate(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_SQLSTATE);
}

static inline const char *cs_pq_primary_message(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
}

static inline void cs_pq_discard_notice(void *argument, const char *message) {
    (void)argument;
    (void)message;
}

/* libpq prints server notices ("relation already exists, skipping") to stderr unless told otherwise. */
static inline void cs_pq_discard_notices(PGconn *connection) {
    PQsetNoticeProcessor(connection, cs_pq_discard_notice, NULL);
}
