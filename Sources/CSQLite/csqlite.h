// The system SQLite (Debian: libsqlite3-dev), seen by Swift as the module `CSQLite`.
//
// SQLITE_TRANSIENT is a macro that casts -1 to a function pointer, which Swift does not import;
// the store uses `unsafeBitCast(-1, to: sqlite3_destructor_type.self)` in its place.
#ifndef CSQLITE_H
#define CSQLITE_H

#include <sqlite3.h>

// Extended result codes are macro expressions, which Swift does not import.
static const int CSQLITE_CONSTRAINT_CHECK = SQLITE_CONSTRAINT_CHECK;
static const int CSQLITE_CONSTRAINT_FOREIGNKEY = SQLITE_CONSTRAINT_FOREIGNKEY;

#endif
