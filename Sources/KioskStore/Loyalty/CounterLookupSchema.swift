/// `0013-counter-lookups`: a gift handed out names the transaction that handed it out (as a
/// cancelled one names its cancellation), and a member's gift requests and purchases are found by
/// member, so that staff at the counter can list what a member has waiting and what they bought.
enum CounterLookupSchema {
    static let migration = "0013-counter-lookups"

    static let sql = """
        ALTER TABLE catalogue_requests ADD COLUMN fulfilled_by TEXT REFERENCES business_transactions(id);
        CREATE INDEX catalogue_requests_member ON catalogue_requests(member_id, status);
        CREATE INDEX loyalty_purchases_member ON loyalty_purchases(member_id, seq);
        """
}
