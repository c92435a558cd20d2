#ifndef CSQLITESETUP_H
#define CSQLITESETUP_H

/// Puts SQLite in multi-thread mode (SQLITE_CONFIG_MULTITHREAD) without memory statistics
/// (SQLITE_CONFIG_MEMSTATUS 0): no mutex around each call on a
/// connection. Safe for mitrail because GRDB serializes every use of a connection. Must run before
/// SQLite initializes (the first connection opened); returns SQLite's result code (SQLITE_MISUSE
/// when it was too late, which leaves the default serialized mode in place).
int mitrail_sqlite_use_multithread(void);

#endif
