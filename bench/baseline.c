/*
 * The physical limit beside mitrail: a minimal C program inserting pre-split rows into SQLite with
 * one prepared statement in one transaction, WAL and synchronous=NORMAL, as mitrail's store is
 * configured (same page cache, foreign keys on, no mutex per call).
 *
 * Two modes:
 *
 *   baseline rows DB ROWS [BATCH]
 *                           inserts the rows of ROWS into DB, a store the runner created with
 *                           mitrail's own `sources` and `records` tables and indexes and one
 *                           source row. ROWS holds the very rows mitrail stored (kind, line, time,
 *                           time origin, fields, raw text, digest, chain), each column as a 4-byte
 *                           little-endian length (0xFFFFFFFF for NULL) and its bytes: the same rows
 *                           into the same table shape, with nothing left to parse. With BATCH,
 *                           commits every BATCH rows instead of once (as mitrail does): past the
 *                           page cache, one huge transaction spills and rewrites pages.
 *   baseline lines DB FILE  the minimal variant: each line of FILE as raw text, its first 23
 *                           characters as time, a constant fields text, a 16-byte FNV digest led by
 *                           the line number (in time order, like mitrail's), into a bare records
 *                           table with the same three indexes.
 *
 * Prints "rows seconds", timed from the first insert to the commit.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *pragmas =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-8192; PRAGMA foreign_keys=ON;";

static const char *bare_schema =
    "CREATE TABLE IF NOT EXISTS records (id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL, kind TEXT NOT NULL,"
    " line INTEGER, pointer TEXT, time TEXT, time_origin TEXT NOT NULL, fields TEXT NOT NULL DEFAULT '{}',"
    " raw TEXT NOT NULL, digest BLOB NOT NULL UNIQUE, chain BLOB);"
    "CREATE INDEX IF NOT EXISTS records_by_source ON records(source_id, line);"
    "CREATE INDEX IF NOT EXISTS records_by_kind_time ON records(kind, time);";

static double seconds_since(struct timespec start) {
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    return (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
}

static void fail(sqlite3 *db, const char *what) {
    fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

/* Reads one length-prefixed column; returns its length, -1 for NULL, -2 at the end of the file. */
static long read_column(FILE *input, char **buffer, size_t *capacity) {
    unsigned char prefix[4];
    if (fread(prefix, 1, 4, input) != 4) return -2;
    uint32_t length = prefix[0] | (prefix[1] << 8) | (prefix[2] << 16) | ((uint32_t)prefix[3] << 24);
    if (length == 0xFFFFFFFFu) return -1;
    if (length + 1 > *capacity) {
        *capacity = length + 1;
        *buffer = realloc(*buffer, *capacity);
    }
    if (fread(*buffer, 1, length, input) != length) return -2;
    return (long)length;
}

static void bind(sqlite3_stmt *insert, int index, const char *bytes, long length, int is_blob) {
    if (length < 0) sqlite3_bind_null(insert, index);
    else if (is_blob) sqlite3_bind_blob(insert, index, bytes, (int)length, SQLITE_STATIC);
    else sqlite3_bind_text(insert, index, bytes, (int)length, SQLITE_STATIC);
}

static int insert_rows(sqlite3 *db, FILE *input, long batch) {
    sqlite3_stmt *insert;
    if (sqlite3_prepare_v2(db, "INSERT INTO records (source_id, kind, line, time, time_origin, fields, raw, digest, chain)"
                               " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING", -1, &insert, NULL) != SQLITE_OK)
        fail(db, "prepare");
    char *columns[8] = {0};
    size_t capacities[8] = {0};
    long lengths[8];
    long rows = 0;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    for (;;) {
        int column;
        for (column = 0; column < 8; column++) {
            lengths[column] = read_column(input, &columns[column], &capacities[column]);
            if (lengths[column] == -2) break;
        }
        if (column < 8) break;
        for (column = 0; column < 8; column++) {
            if (column == 1 && lengths[1] >= 0) {
                columns[1][lengths[1]] = 0;
                sqlite3_bind_int64(insert, 2, atoll(columns[1]));
            } else {
                bind(insert, column + 1, columns[column], lengths[column], column >= 6);
            }
        }
        if (sqlite3_step(insert) != SQLITE_DONE) fail(db, "insert");
        sqlite3_reset(insert);
        rows++;
        if (batch > 0 && rows % batch == 0) {
            if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) fail(db, "commit");
            sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        }
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) fail(db, "commit");
    printf("%ld %.3f\n", rows, seconds_since(start));
    sqlite3_finalize(insert);
    for (int column = 0; column < 8; column++) free(columns[column]);
    return 0;
}

/* FNV-1a 64, twice with different seeds, led by the line number: 16 bytes in time order. */
static void digest16(const char *text, size_t length, long line, unsigned char out[16]) {
    uint64_t a = 1469598103934665603ULL ^ (uint64_t)line, b = 1099511628211ULL * 31 + (uint64_t)line;
    for (size_t i = 0; i < length; i++) {
        a = (a ^ (unsigned char)text[i]) * 1099511628211ULL;
        b = (b ^ (unsigned char)text[i]) * 1099511628211ULL + 7;
    }
    for (int i = 0; i < 5; i++) out[i] = (unsigned char)((uint64_t)line >> (8 * (4 - i)));
    memcpy(out + 5, &a, 8);
    memcpy(out + 13, &b, 3);
}

static int insert_lines(sqlite3 *db, FILE *input) {
    char *error = NULL;
    if (sqlite3_exec(db, bare_schema, NULL, NULL, &error) != SQLITE_OK) { fprintf(stderr, "schema: %s\n", error); return 1; }
    sqlite3_stmt *insert;
    if (sqlite3_prepare_v2(db, "INSERT INTO records (source_id, kind, line, time, time_origin, fields, raw, digest)"
                               " VALUES (1, 'azure:batch:agent-log-line', ?, ?, 'record', ?, ?, ?) ON CONFLICT (digest) DO NOTHING",
                           -1, &insert, NULL) != SQLITE_OK)
        fail(db, "prepare");
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    long number = 0;
    unsigned char digest[16];
    char time[25];
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    while ((length = getline(&line, &capacity, input)) > 0) {
        number++;
        if (line[length - 1] == '\n') line[--length] = 0;
        memcpy(time, line, 23 < length ? 23 : (size_t)length);
        time[23 < length ? 23 : length] = 0;
        digest16(line, (size_t)length, number, digest);
        sqlite3_bind_int64(insert, 1, number);
        sqlite3_bind_text(insert, 2, time, -1, SQLITE_STATIC);
        sqlite3_bind_text(insert, 3, "{\"level\":\"INFO\",\"messageAt\":31}", -1, SQLITE_STATIC);
        sqlite3_bind_text(insert, 4, line, (int)length, SQLITE_STATIC);
        sqlite3_bind_blob(insert, 5, digest, 16, SQLITE_STATIC);
        if (sqlite3_step(insert) != SQLITE_DONE) fail(db, "insert");
        sqlite3_reset(insert);
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) fail(db, "commit");
    printf("%ld %.3f\n", number, seconds_since(start));
    sqlite3_finalize(insert);
    free(line);
    return 0;
}

int main(int argc, char **argv) {
    int rows_mode = argc >= 4 && strcmp(argv[1], "rows") == 0;
    if (!(rows_mode && argc <= 5) && !(argc == 4 && strcmp(argv[1], "lines") == 0)) {
        fprintf(stderr, "usage: baseline rows DB ROWS [BATCH] | baseline lines DB FILE\n");
        return 2;
    }
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3 *db;
    if (sqlite3_open(argv[2], &db) != SQLITE_OK) fail(db, "open");
    char *error = NULL;
    if (sqlite3_exec(db, pragmas, NULL, NULL, &error) != SQLITE_OK) { fprintf(stderr, "pragmas: %s\n", error); return 1; }
    FILE *input = fopen(argv[3], "rb");
    if (!input) { perror(argv[3]); return 1; }
    int status = rows_mode ? insert_rows(db, input, argc == 5 ? atol(argv[4]) : 0) : insert_lines(db, input);
    fclose(input);
    sqlite3_close(db);
    return status;
}
