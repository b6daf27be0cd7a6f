#pragma once
// Thin RAII wrappers over SQLite's C API: a connection, a prepared statement and a transaction.
// sqlite3.h stays out of this header (SQLite is linked PRIVATE to saliency_study), so the GUI can
// include the project database without seeing it. Every failure throws saliency::FileError naming
// the database file and SQLite's own message.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace saliency::study {

enum class Access {
    Create,     // read-write; a missing file becomes a new, empty database
    ReadWrite,  // read-write; a missing file is an error
    // Read only, and never written: a project on a read-only share or CD, or one a report only
    // reads. In a folder we cannot write SQLite cannot make its WAL index (-shm), so the file is
    // opened as immutable there (changes another process still has in a -wal file are not seen).
    ReadOnly,
};

class Connection {
  public:
    Connection(const std::filesystem::path& file, Access access);
    ~Connection();
    Connection(Connection&& other) noexcept;
    Connection& operator=(Connection&& other) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Runs one or more statements that return nothing the caller needs (DDL, PRAGMAs).
    void execute(std::string_view sql);
    // The first column of the first row of a query (e.g. "PRAGMA user_version").
    std::int64_t queryInteger(std::string_view sql);

    std::int64_t lastInsertId() const;
    bool inTransaction() const;  // false in autocommit mode
    const std::filesystem::path& file() const noexcept { return file_; }
    sqlite3* handle() const noexcept { return db_; }

    // Throws FileError "FILE: WHAT: sqlite's message" for a failed result code.
    [[noreturn]] void fail(std::string_view what) const;

  private:
    sqlite3* db_ = nullptr;
    std::filesystem::path file_;
};

// A prepared statement. Parameters are 1-based as in SQLite; columns 0-based.
class Statement {
  public:
    Statement(Connection& connection, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value ? 1 : 0)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bindBlob(int index, const std::vector<unsigned char>& bytes);
    Statement& bindNull(int index);
    template <typename T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bindNull(index);
    }
    // Binds every argument in order, from parameter 1.
    template <typename... Args>
    Statement& bindAll(const Args&... args) {
        int index = 0;
        (bind(++index, args), ...);
        return *this;
    }

    // Advances to the next row: true when there is one, false when the statement is done.
    bool step();
    // Runs a statement that returns no rows (INSERT, UPDATE, DELETE); returns the rows changed.
    int run();
    // Ready to run again with new parameters (bindings are cleared).
    void reset();

    bool isNull(int column) const;
    std::int64_t integer(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::vector<unsigned char> blob(int column) const;
    std::optional<std::int64_t> optionalInteger(int column) const;
    std::optional<double> optionalReal(int column) const;
    std::optional<std::string> optionalText(int column) const;

  private:
    void check(int code, std::string_view what) const;
    Connection* connection_;
    sqlite3_stmt* statement_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT when no transaction is open; a SAVEPOINT inside one, so that writers
// nest (a per-scan transaction around calls that each protect themselves). Rolled back unless
// commit() was called: an exception leaves the database as it was.
class Transaction {
  public:
    explicit Transaction(Connection& connection);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

  private:
    Connection& connection_;
    bool nested_;
    bool done_ = false;
};

}  // namespace saliency::study
