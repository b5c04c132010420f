import CPCSC

/// Every pcsc-lite call goes through here: success passes, anything else becomes a typed
/// `PCSCError` naming the operation.
@inline(__always)
func pcscCall(_ operation: @autoclosure () -> String, _ body: () -> LONG) throws(PCSCError) {
    let result = body()
    guard result == SCARD_S_SUCCESS else { throw PCSCError(code: result, operation: operation()) }
}
