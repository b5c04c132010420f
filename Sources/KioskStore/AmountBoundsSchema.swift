import KioskCore

/// Amounts that cannot leave INTEGER: a ledger posting of more than 10^15 (or anything but an
/// integer) and a balance past 10^18 are refused inside the transaction, so a sum can never
/// overflow Int64 (SQLite would turn it into a floating-point value, which every later read of
/// that member then fails to decode). `KioskStore.commit` refuses an out-of-range posting first,
/// with a clear error; these triggers are the floor under every other writer.
enum AmountBoundsSchema {
    static let migration = "0005-bounded-amounts"

    /// The message of the balance trigger, recognised by `StoreError.from`.
    static let balanceOutOfRange = "a balance would leave the allowed range"

    static var sql: String {
        let posting = AmountLimits.maxPosting
        let balance = AmountLimits.maxBalance
        return """
        CREATE TRIGGER ledger_amount_bounded BEFORE INSERT ON ledger
        WHEN typeof(NEW.amount) <> 'integer' OR NEW.amount > \(posting) OR NEW.amount < -\(posting) BEGIN
            SELECT RAISE(ABORT, 'a ledger amount must be a whole number within ±\(posting)');
        END;
        CREATE TRIGGER balances_bounded_on_insert BEFORE INSERT ON balances
        WHEN typeof(NEW.amount) <> 'integer' OR NEW.amount > \(balance) OR NEW.amount < -\(balance) BEGIN
            SELECT RAISE(ABORT, '\(balanceOutOfRange)');
        END;
        CREATE TRIGGER balances_bounded_on_update BEFORE UPDATE OF amount ON balances
        WHEN typeof(NEW.amount) <> 'integer' OR NEW.amount > \(balance) OR NEW.amount < -\(balance) BEGIN
            SELECT RAISE(ABORT, '\(balanceOutOfRange)');
        END;
        """
    }
}
