#include "study/Sqlite.h"

#include <cctype>
#include <utility>

#include <sqlite3.h>
#include <unistd.h>

#include "common/Error.h"

namespace saliency::study {

// ---- Connection ----

namespace {

// A file: URI for SQLite: every byte outside the unreserved set and '/' percent-encoded.
std::string fileUri(const std::filesystem::path& file, const char* query) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string uri = "file:";
    for (const char c : std::filesystem::absolute(file).string()) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
            uri += c;
        } else {
            uri += '%';
            uri += hex[byte >> 4];
            uri += hex[byte & 15];
        }
    }
    return uri + "?" + query;
}

bool folderIsWritable(const std::filesystem::path& file) {
    const auto folder = std::filesystem::absolute(file).parent_path();
    return ::access(folder.c_str(), W_OK) == 0;
}

}  // namespace

Connection::Connection(const std::filesystem::path& file, Access access) : file_(file) {
    int code = SQLITE_OK;
    if (access == Access::ReadOnly) {
        const std::string uri = fileUri(file, folderIsWritable(file) ? "mode=ro" : "mode=ro&immutable=1");
        code = sqlite3_open_v2(uri.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
    } else {
        const int flags = SQLITE_OPEN_READWRITE | (access == Access::Create ? SQLITE_OPEN_CREATE : 0);
        code = sqlite3_open_v2(file.c_str(), &db_, flags, nullptr);
    }
    if (code != SQLITE_OK) {
        // sqlite3_open_v2 allocates a handle even on failure; its message says why.
        const std::string reason = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
        sqlite3_close(db_);
        db_ = nullptr;
        throw FileError(file, "cannot open the project database: " + reason);
    }
    sqlite3_extended_result_codes(db_, 1);
}

Connection::~Connection() {
    // Every Statement is finalised before its Connection goes (they are members declared after it
    // or locals), so close cannot be left busy.
    sqlite3_close(db_);
}

Connection::Connection(Connection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), file_(std::move(other.file_)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        sqlite3_close(db_);
        db_ = std::exchange(other.db_, nullptr);
        file_ = std::move(other.file_);
    }
    return *this;
}

void Connection::execute(std::string_view sql) {
    char* message = nullptr;
    const std::string text(sql);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string reason = message ? message : sqlite3_errmsg(db_);
        sqlite3_free(message);
        throw FileError(file_, reason);
    }
}

std::int64_t Connection::queryInteger(std::string_view sql) {
    Statement statement(*this, sql);
    if (!statement.step())
        fail("no result for " + std::string(sql));
    return statement.integer(0);
}

std::int64_t Connection::lastInsertId() const {
    return sqlite3_last_insert_rowid(db_);
}

bool Connection::inTransaction() const {
    return sqlite3_get_autocommit(db_) == 0;
}

void Connection::fail(std::string_view what) const {
    throw FileError(file_, std::string(what) + ": " + sqlite3_errmsg(db_));
}

// ---- Statement ----

Statement::Statement(Connection& connection, std::string_view sql) : connection_(&connection) {
    const int code = sqlite3_prepare_v2(connection.handle(), sql.data(), static_cast<int>(sql.size()),
                                        &statement_, nullptr);
    if (code != SQLITE_OK)
        connection.fail("cannot prepare '" + std::string(sql.substr(0, 60)) + "'");
}

Statement::~Statement() {
    sqlite3_finalize(statement_);
}

Statement::Statement(Statement&& other) noexcept
    : connection_(other.connection_), statement_(std::exchange(other.statement_, nullptr)) {}

void Statement::check(int code, std::string_view what) const {
    if (code != SQLITE_OK)
        connection_->fail(what);
}

Statement& Statement::bind(int index, std::int64_t value) {
    check(sqlite3_bind_int64(statement_, index, value), "bind");
    return *this;
}

Statement& Statement::bind(int index, double value) {
    check(sqlite3_bind_double(statement_, index, value), "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    check(sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT),
          "bind");
    return *this;
}

Statement& Statement::bindBlob(int index, const std::vector<unsigned char>& bytes) {
    // A zero-length blob is still a blob (not NULL): sqlite3_bind_zeroblob keeps the type.
    const int code = bytes.empty() ? sqlite3_bind_zeroblob(statement_, index, 0)
                                   : sqlite3_bind_blob(statement_, index, bytes.data(),
                                                       static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    check(code, "bind");
    return *this;
}

Statement& Statement::bindNull(int index) {
    check(sqlite3_bind_null(statement_, index), "bind");
    return *this;
}

bool Statement::step() {
    const int code = sqlite3_step(statement_);
    if (code == SQLITE_ROW)
        return true;
    if (code == SQLITE_DONE)
        return false;
    // sqlite3_errmsg holds the reason until the statement is reset.
    const std::string sql = sqlite3_sql(statement_) ? sqlite3_sql(statement_) : "";
    connection_->fail("'" + sql.substr(0, 60) + "' failed");
}

int Statement::run() {
    while (step()) {
    }
    return sqlite3_changes(connection_->handle());
}

void Statement::reset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
}

bool Statement::isNull(int column) const {
    return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::int64_t Statement::integer(int column) const {
    return sqlite3_column_int64(statement_, column);
}

double Statement::real(int column) const {
    return sqlite3_column_double(statement_, column);
}

std::string Statement::text(int column) const {
    const auto* bytes = sqlite3_column_text(statement_, column);
    const int size = sqlite3_column_bytes(statement_, column);
    return bytes ? std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size))
                 : std::string();
}

std::vector<unsigned char> Statement::blob(int column) const {
    const auto* bytes = static_cast<const unsigned char*>(sqlite3_column_blob(statement_, column));
    const int size = sqlite3_column_bytes(statement_, column);
    return bytes ? std::vector<unsigned char>(bytes, bytes + size) : std::vector<unsigned char>();
}

std::optional<std::int64_t> Statement::optionalInteger(int column) const {
    return isNull(column) ? std::nullopt : std::optional(integer(column));
}

std::optional<double> Statement::optionalReal(int column) const {
    return isNull(column) ? std::nullopt : std::optional(real(column));
}

std::optional<std::string> Statement::optionalText(int column) const {
    return isNull(column) ? std::nullopt : std::optional(text(column));
}

// ---- Transaction ----

Transaction::Transaction(Connection& connection)
    : connection_(connection), nested_(connection.inTransaction()) {
    // IMMEDIATE takes the write lock now, so a second writer (the GUI and a study on one project)
    // waits for it under busy_timeout instead of failing half-way with SQLITE_BUSY.
    connection_.execute(nested_ ? "SAVEPOINT nested" : "BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (done_)
        return;
    try {
        connection_.execute(nested_ ? "ROLLBACK TO nested; RELEASE nested" : "ROLLBACK");
    } catch (...) {
        // A failed rollback (e.g. SQLite already rolled back after an I/O error) leaves nothing to
        // undo; a destructor must not throw.
    }
}

void Transaction::commit() {
    connection_.execute(nested_ ? "RELEASE nested" : "COMMIT");
    done_ = true;
}

}  // namespace saliency::study
