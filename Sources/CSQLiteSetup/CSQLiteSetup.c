#include "CSQLiteSetup.h"
#include <sqlite3.h>

/* sqlite3_config is variadic, which Swift cannot call: this is its one use. */
int mitrail_sqlite_use_multithread(void) {
    int code = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    if (code != SQLITE_OK) return code;
    /* Memory statistics take a global mutex on every allocation; mitrail never reads them. */
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
