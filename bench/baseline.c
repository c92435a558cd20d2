/*
 * The physical limits beside mitrail: minimal C programs inserting rows into SQLite with prepared
 * statements, WAL and synchronous=NORMAL, as mitrail's store is configured (same page cache, no mutex per
 * call).
 *
 * Two modes:
 *
 *   baseline bare DB FILE   the bare loop: each line of FILE into a table of 4 text columns (its first 23
 *                           characters as the time, the word in the first [...] as the level, the rest as
 *                           the message, and the whole line), one prepared INSERT, one transaction, no
 *                           index. What SQLite itself can do with a log, nothing kept beyond the text.
 *   baseline rows DB ROWS [BATCH]
 *                           replays the very rows mitrail stored: DB is a store the runner created with
 *                           mitrail's own tables and indexes (and its source row); ROWS holds, after a header,
 *                           each row as a one-byte table number and its values (see bench/measure.py,
 *                           dump_rows). Nothing left to parse: the same rows into the same table shapes. With
 *                           BATCH, commits every BATCH rows instead of once (as mitrail does).
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
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-8192;";

static double seconds_since(struct timespec start) {
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    return (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
}

static void fail(sqlite3 *db, const char *what) {
    fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static int insert_bare(sqlite3 *db, FILE *input) {
    if (sqlite3_exec(db, "CREATE TABLE lines (time TEXT, level TEXT, message TEXT, raw TEXT)", NULL, NULL, NULL) != SQLITE_OK)
        fail(db, "schema");
    sqlite3_stmt *insert;
    if (sqlite3_prepare_v2(db, "INSERT INTO lines VALUES (?, ?, ?, ?)", -1, &insert, NULL) != SQLITE_OK) fail(db, "prepare");
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    long rows = 0;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    while ((length = getline(&line, &capacity, input)) > 0) {
        if (line[length - 1] == '\n') line[--length] = 0;
        long time_length = length < 23 ? length : 23;
        char *open = memchr(line, '[', (size_t)length);
        char *close = open ? memchr(open, ']', (size_t)(line + length - open)) : NULL;
        char *message = close ? close + 1 : line + time_length;
        while (message < line + length && *message == ' ') message++;
        sqlite3_bind_text(insert, 1, line, (int)time_length, SQLITE_STATIC);
        if (open && close) sqlite3_bind_text(insert, 2, open + 1, (int)(close - open - 1), SQLITE_STATIC);
        else sqlite3_bind_null(insert, 2);
        sqlite3_bind_text(insert, 3, message, (int)(line + length - message), SQLITE_STATIC);
        sqlite3_bind_text(insert, 4, line, (int)length, SQLITE_STATIC);
        if (sqlite3_step(insert) != SQLITE_DONE) fail(db, "insert");
        sqlite3_reset(insert);
        rows++;
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) fail(db, "commit");
    printf("%ld %.3f\n", rows, seconds_since(start));
    sqlite3_finalize(insert);
    free(line);
    return 0;
}

/* Reads n bytes; 0 at the end of the file. */
static int read_exact(FILE *input, void *buffer, size_t n) { return fread(buffer, 1, n, input) == n; }

static uint32_t read_u32(FILE *input) {
    unsigned char b[4];
    if (!read_exact(input, b, 4)) { fprintf(stderr, "truncated rows file\n"); exit(1); }
    return b[0] | (b[1] << 8) | (b[2] << 16) | ((uint32_t)b[3] << 24);
}

/* Header: the number of tables; for each, its INSERT statement (length-prefixed) and column count. Then each row:
   a table byte, then per column a type byte (0 null, 1 integer, 2 real, 3 text, 4 blob) and its value (8 bytes
   for numbers, length-prefixed bytes otherwise). */
static int insert_rows(sqlite3 *db, FILE *input, long batch) {
    uint32_t tables = read_u32(input);
    sqlite3_stmt **inserts = calloc(tables, sizeof *inserts);
    uint32_t *columns = calloc(tables, sizeof *columns);
    for (uint32_t table = 0; table < tables; table++) {
        uint32_t length = read_u32(input);
        char *sql = malloc(length + 1);
        if (!read_exact(input, sql, length)) { fprintf(stderr, "truncated header\n"); return 1; }
        sql[length] = 0;
        columns[table] = read_u32(input);
        if (sqlite3_prepare_v2(db, sql, -1, &inserts[table], NULL) != SQLITE_OK) fail(db, sql);
        free(sql);
    }
    char *buffer = NULL;
    size_t capacity = 0;
    long rows = 0;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    unsigned char table;
    while (read_exact(input, &table, 1)) {
        sqlite3_stmt *insert = inserts[table];
        for (uint32_t column = 0; column < columns[table]; column++) {
            unsigned char type;
            if (!read_exact(input, &type, 1)) { fprintf(stderr, "truncated row\n"); return 1; }
            if (type == 0) { sqlite3_bind_null(insert, (int)column + 1); continue; }
            if (type == 1 || type == 2) {
                unsigned char bytes[8];
                if (!read_exact(input, bytes, 8)) { fprintf(stderr, "truncated row\n"); return 1; }
                int64_t value;
                memcpy(&value, bytes, 8);
                if (type == 1) sqlite3_bind_int64(insert, (int)column + 1, value);
                else { double real; memcpy(&real, bytes, 8); sqlite3_bind_double(insert, (int)column + 1, real); }
                continue;
            }
            uint32_t length = read_u32(input);
            if (length + 1 > capacity) { capacity = length + 1; buffer = realloc(buffer, capacity); }
            if (!read_exact(input, buffer, length)) { fprintf(stderr, "truncated row\n"); return 1; }
            if (type == 3) sqlite3_bind_text(insert, (int)column + 1, buffer, (int)length, SQLITE_TRANSIENT);
            else sqlite3_bind_blob(insert, (int)column + 1, buffer, (int)length, SQLITE_TRANSIENT);
        }
        if (sqlite3_step(insert) != SQLITE_DONE) fail(db, "insert");
        sqlite3_reset(insert);
        if (table == 0) {
            rows++;
            if (batch > 0 && rows % batch == 0) {
                if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) fail(db, "commit");
                sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
            }
        }
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) fail(db, "commit");
    printf("%ld %.3f\n", rows, seconds_since(start));
    for (uint32_t t = 0; t < tables; t++) sqlite3_finalize(inserts[t]);
    free(inserts);
    free(columns);
    free(buffer);
    return 0;
}

int main(int argc, char **argv) {
    int rows_mode = argc >= 4 && strcmp(argv[1], "rows") == 0;
    if (!(rows_mode && argc <= 5) && !(argc == 4 && strcmp(argv[1], "bare") == 0)) {
        fprintf(stderr, "usage: baseline rows DB ROWS [BATCH] | baseline bare DB FILE\n");
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
    int status = rows_mode ? insert_rows(db, input, argc == 5 ? atol(argv[4]) : 0) : insert_bare(db, input);
    fclose(input);
    sqlite3_close(db);
    return status;
}
