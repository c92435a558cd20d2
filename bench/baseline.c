/*
 * The physical limit beside mitrail: a minimal C program that inserts pre-split agent log lines
 * into the same table shape (records: source_id, kind, line, time, time_origin, fields, raw,
 * digest with its unique index and the two secondary indexes) with one prepared statement in one
 * transaction, WAL and synchronous=NORMAL, as mitrail's store is configured.
 *
 * Usage: baseline DB FILE   (prints "lines seconds")
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *schema =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;"
    "CREATE TABLE IF NOT EXISTS records (id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL, kind TEXT NOT NULL,"
    " line INTEGER, pointer TEXT, time TEXT, time_origin TEXT NOT NULL, fields TEXT NOT NULL DEFAULT '{}',"
    " raw TEXT NOT NULL, digest BLOB NOT NULL UNIQUE);"
    "CREATE INDEX IF NOT EXISTS records_by_source ON records(source_id, line);"
    "CREATE INDEX IF NOT EXISTS records_by_kind_time ON records(kind, time);";

/* FNV-1a 64, twice with different seeds: 16 bytes standing in for the SHA-256 digest prefix. */
static void digest16(const char *text, size_t length, long line, unsigned char out[16]) {
    uint64_t a = 1469598103934665603ULL ^ (uint64_t)line, b = 1099511628211ULL * 31 + (uint64_t)line;
    for (size_t i = 0; i < length; i++) {
        a = (a ^ (unsigned char)text[i]) * 1099511628211ULL;
        b = (b ^ (unsigned char)text[i]) * 1099511628211ULL + 7;
    }
    memcpy(out, &a, 8);
    memcpy(out + 8, &b, 8);
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: baseline DB FILE\n"); return 2; }
    sqlite3 *db;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK) { fprintf(stderr, "open: %s\n", sqlite3_errmsg(db)); return 1; }
    char *error = NULL;
    if (sqlite3_exec(db, schema, NULL, NULL, &error) != SQLITE_OK) { fprintf(stderr, "schema: %s\n", error); return 1; }
    FILE *input = fopen(argv[2], "r");
    if (!input) { perror(argv[2]); return 1; }
    sqlite3_stmt *insert;
    sqlite3_prepare_v2(db, "INSERT INTO records (source_id, kind, line, time, time_origin, fields, raw, digest)"
                           " VALUES (1, 'azure:batch:agent-log-line', ?, ?, 'record', ?, ?, ?) ON CONFLICT (digest) DO NOTHING", -1, &insert, NULL);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    long number = 0;
    unsigned char digest[16];
    char time[25];
    while ((length = getline(&line, &capacity, input)) > 0) {
        number++;
        if (line[length - 1] == '\n') line[--length] = 0;
        /* Pre-split: the first 23 characters are the timestamp, kept as text like mitrail's ISO form. */
        memcpy(time, line, 23 < length ? 23 : (size_t)length);
        time[23 < length ? 23 : length] = 0;
        digest16(line, (size_t)length, number, digest);
        sqlite3_bind_int64(insert, 1, number);
        sqlite3_bind_text(insert, 2, time, -1, SQLITE_STATIC);
        sqlite3_bind_text(insert, 3, "{\"level\":\"INFO\",\"messageAt\":31}", -1, SQLITE_STATIC);
        sqlite3_bind_text(insert, 4, line, (int)length, SQLITE_STATIC);
        sqlite3_bind_blob(insert, 5, digest, 16, SQLITE_STATIC);
        if (sqlite3_step(insert) != SQLITE_DONE) { fprintf(stderr, "insert: %s\n", sqlite3_errmsg(db)); return 1; }
        sqlite3_reset(insert);
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    clock_gettime(CLOCK_MONOTONIC, &end);
    printf("%ld %.3f\n", number, (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
    sqlite3_finalize(insert);
    sqlite3_close(db);
    free(line);
    fclose(input);
    return 0;
}
