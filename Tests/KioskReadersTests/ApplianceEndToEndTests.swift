import Foundation
import GRDB
import KioskCards
import KioskCore
import KioskReaders
import KioskRender
import KioskStore
import KioskText
import KioskTestSupport
import KioskVirtualCard
import Testing
import VirtualCardRig

extension ReaderIntegrationTests {
    /// `kiosk run` as a customer meets it: the real executable on the real pcscd with the virtual
    /// reader, the terminal display in tmux, the example program and its demo members.
    @Suite struct ApplianceEndToEndTests {
        let rig: TestPCSCD
        init() throws { rig = try TestPCSCD.shared() }

        static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        static let aliUID: [UInt8] = [0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6]

        /// A sandbox with the demo members replayed into its store and `kiosk run` configured for
        /// the terminal, the example program and bare UIDs (the demo cards).
        func demoKiosk(locale: String = "fa-IR") async throws -> KioskSandbox {
            let sandbox = try KioskSandbox(rig: rig, acceptBareUID: true)
            let program = Self.repository + "/kiosk/programs/example.json"
            var configuration = try String(contentsOfFile: sandbox.configurationPath, encoding: .utf8)
            configuration = configuration.replacingOccurrences(of: "[kiosk]\n", with: "[kiosk]\nprogram = \"\(program)\"\nlocale = \"\(locale)\"\n"
                                                                + "spin_confirm_seconds = 30\n")  // a loaded machine lifts and taps slowly
            configuration += "\n[display]\nbackend = \"terminal\"\n"
            try sandbox.write("kiosk.toml", configuration)
            let replay = try await sandbox.run("engine", "replay", "--program", program,
                                               "--events", Self.repository + "/kiosk/programs/example-events.jsonl",
                                               "--db", sandbox.storePath, "--summary")
            #expect(replay.status == 0, "\(replay.stderr)")
            return sandbox
        }

        func terminal(_ sandbox: KioskSandbox) throws -> TmuxTerminal {
            let kiosk = try ProductLocator.executable("kiosk")
            return try TmuxTerminal(columns: 100, rows: 32, command: "exec \(kiosk) run 2>>\(sandbox.directory.file("kiosk.log"))",
                                    environment: sandbox.environment)
        }

        /// Waits until the kiosk watches the first virtual reader (a card inserted before that is
        /// a card already there when the kiosk looks, not a tap).
        func waitUntilWatching(_ sandbox: KioskSandbox) async throws -> Bool {
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if log(sandbox).contains("reader added reader=\"Virtual PCD 00 00\"") { return true }
                try await Task.sleep(for: .milliseconds(50))
            }
            return false
        }

        func log(_ sandbox: KioskSandbox) -> String {
            (try? String(contentsOfFile: sandbox.directory.file("kiosk.log"), encoding: .utf8)) ?? "(no log)"
        }

        @Test func aTapGreetsTheMemberByNameWithTheirBalancesInPersian() async throws {
            rig.liftCards()
            let sandbox = try await demoKiosk()
            let balances = try KioskStore(path: sandbox.storePath).balances(of: "m-ali")
            let terminal = try terminal(sandbox)
            defer { terminal.close() }
            // A terminal without bidi or shaping: the line as the kiosk sends it, in visual order, joined.
            let tapYourCard = BidiParagraph.visual("کارت خود را نزدیک کنید", base: .rtl, presentationForms: true)
            let idle = try await terminal.waitForScreen { $0.contains(tapYourCard) }
            #expect(idle.matched, "the idle screen asks for a card: \(idle.screen)\n\(log(sandbox))")
            #expect(try await waitUntilWatching(sandbox), "\(log(sandbox))")
            let card = try rig.insert(UIDOnlyCard(uid: Self.aliUID))
            defer { card.remove() }
            let points = DisplayLocale.faIR.number(balances.points), coins = DisplayLocale.faIR.number(balances.coins)
            let welcome = try await terminal.waitForScreen { $0.contains("Ali") && $0.contains(points) && $0.contains(coins) }
            #expect(welcome.matched, "the welcome shows Ali, \(points) points and \(coins) coins: \(welcome.screen)\n\(log(sandbox))")
        }

        @Test func aSecondTapSpinsOnceCommitsTheCoinsAndShowsTheOutcome() async throws {
            rig.liftCards()
            let sandbox = try await demoKiosk(locale: "en")
            let before = try KioskStore(path: sandbox.storePath)
            let coinsBefore = try before.balances(of: "m-ali").coins
            let pendingBefore = try before.outboxPending()
            let terminal = try terminal(sandbox)
            defer { terminal.close() }
            #expect(try await terminal.waitForScreen { $0.contains("Tap your card") }.matched, "\(log(sandbox))")
            #expect(try await waitUntilWatching(sandbox), "\(log(sandbox))")
            var card = try rig.insert(UIDOnlyCard(uid: Self.aliUID))
            let greeted = try await terminal.waitForScreen { $0.contains("Ali") }
            #expect(greeted.matched, "\(greeted.screen)\n\(log(sandbox))")
            card.remove()
            try rig.waitUntilEmpty()
            card = try rig.insert(UIDOnlyCard(uid: Self.aliUID))
            defer { card.remove() }
            let wheel = try await terminal.waitForScreen { $0.contains("Spin the wheel") }
            #expect(wheel.matched, "the wheel turns: \(wheel.screen)\n\(log(sandbox))")
            // The prize screen (the wheel ends with the prize, or nothing, as the engine drew it).
            let outcome = try await terminal.waitForScreen { $0.contains("Show this screen at the counter") && !$0.contains("Spin the wheel") }
            #expect(outcome.matched, "the wheel's outcome is shown: \(outcome.screen)\n\(log(sandbox))")
            let log = log(sandbox)
            let spins = log.split(separator: "\n").filter { $0.contains("kiosk.engine: spin committed") }
            #expect(spins.count == 1, "one spin for the second tap: \(log)")
            let segment = spins.first.flatMap { $0.split(separator: " ").first { $0.hasPrefix("segment=") } }?.dropFirst("segment=".count)
            let after = try KioskStore(path: sandbox.storePath, mode: .readOnly)
            let won: Int64 = segment == "coins-10" ? 10 : 0
            #expect(try after.balances(of: "m-ali").coins == coinsBefore - 5 + won, "the spin cost 5 coins (segment \(segment ?? "?"))")
            #expect(try after.outboxPending() == pendingBefore + 1, "one event for the spin")
        }

        @Test func aKioskKilledMidAnimationShowsTheSamePrizeAfterItsRestartAndDrawsNoMore() async throws {
            rig.liftCards()
            let sandbox = try await demoKiosk(locale: "en")
            let coinsBefore = try KioskStore(path: sandbox.storePath).balances(of: "m-ali").coins
            var terminal: TmuxTerminal? = try terminal(sandbox)
            defer { terminal?.close() }
            #expect(try await terminal!.waitForScreen { $0.contains("Tap your card") }.matched, "\(log(sandbox))")
            #expect(try await waitUntilWatching(sandbox), "\(log(sandbox))")
            var card = try rig.insert(UIDOnlyCard(uid: Self.aliUID))
            #expect(try await terminal!.waitForScreen { $0.contains("Ali") }.matched, "\(log(sandbox))")
            card.remove()
            try rig.waitUntilEmpty()
            card = try rig.insert(UIDOnlyCard(uid: Self.aliUID))
            #expect(try await terminal!.waitForScreen { $0.contains("Spin the wheel") }.matched, "the wheel turns: \(log(sandbox))")
            let pid = try #require(try terminal!.panePID())
            kill(pid, SIGKILL)
            card.remove()
            terminal?.close()  // its tmux server ends with it
            try rig.waitUntilEmpty()  // the restarted kiosk finds no card half-read on the reader
            let committed = try KioskStore(path: sandbox.storePath).balances(of: "m-ali").coins
            terminal = try self.terminal(sandbox)
            let prize = try await terminal!.waitForScreen { $0.contains("Show this screen at the counter") }
            #expect(prize.matched, "the restarted kiosk shows the prize of the spin it committed: \(prize.screen)\n\(log(sandbox))")
            let log = log(sandbox)
            #expect(log.components(separatedBy: "kiosk.engine: spin committed").count - 1 == 1, "one draw in all: \(log)")
            #expect(log.contains("showing the result of a spin committed before the restart"), "\(log)")
            #expect(try KioskStore(path: sandbox.storePath, mode: .readOnly).balances(of: "m-ali").coins == committed,
                    "the restart spends nothing")
            #expect(committed <= coinsBefore - 5 + 10)
        }

        @Test func aCashierRecordsAPurchaseWithTheirCardTheirPINAndTheMembersCard() async throws {
            rig.liftCards()
            let sandbox = try await demoKiosk(locale: "en")
            let staffUID: [UInt8] = [0x04, 0xC0, 0xFF, 0xEE, 0x00, 0x00, 0x01]
            let bound = try await sandbox.run(["staff", "add", "op-sara", "--name", "Sara", "--role", "cashier",
                                               "--card", "uid:04C0FFEE000001", "--pin-stdin"], stdin: "1234\n")
            #expect(bound.status == 0, "\(bound.stderr)")
            #expect(!bound.stdout.contains("1234") && !bound.stderr.contains("1234"), "the PIN is never printed")
            let pointsBefore = try KioskStore(path: sandbox.storePath).balances(of: "m-ali").points
            let terminal = try terminal(sandbox)
            defer { terminal.close() }
            #expect(try await terminal.waitForScreen { $0.contains("Tap your card") }.matched, "\(log(sandbox))")
            #expect(try await waitUntilWatching(sandbox), "\(log(sandbox))")
            var card = try rig.insert(UIDOnlyCard(uid: staffUID))
            let pin = try await terminal.waitForScreen { $0.contains("Enter your PIN") }
            #expect(pin.matched, "the staff card asks for the PIN: \(pin.screen)\n\(log(sandbox))")
            card.remove()
            try terminal.type("9", "9", "9", "9", "Enter")
            let wrong = try await terminal.waitForScreen { $0.contains("Wrong PIN") }
            #expect(wrong.matched, "a wrong PIN is refused: \(wrong.screen)")
            try terminal.type("1", "2", "3", "4", "Enter")
            let menu = try await terminal.waitForScreen { $0.contains("Record a purchase") }
            #expect(menu.matched, "the cashier's menu: \(menu.screen)\n\(log(sandbox))")
            #expect(!menu.screen.contains("1234") && !pin.screen.contains("9999"), "the PIN never shows")
            try terminal.type("1")
            #expect(try await terminal.waitForScreen { $0.contains("Tap the member's card") }.matched, "\(log(sandbox))")
            try rig.waitUntilEmpty()
            card = try rig.insert(UIDOnlyCard(uid: Self.aliUID))
            defer { card.remove() }
            #expect(try await terminal.waitForScreen { $0.contains("Purchase amount") }.matched, "\(log(sandbox))")
            try terminal.type("5", "0", "0", "0", "0", "Enter")  // 50,000 Toman
            let recorded = try await terminal.waitForScreen { $0.contains("Receipt accepted") }
            #expect(recorded.matched, "the purchase is recorded: \(recorded.screen)\n\(log(sandbox))")
            let after = try KioskStore(path: sandbox.storePath, mode: .readOnly).balances(of: "m-ali").points
            #expect(after > pointsBefore, "500,000 Rial earned points: \(pointsBefore) → \(after)")
            #expect(!log(sandbox).contains("1234") && !log(sandbox).contains("9999"), "no PIN in the log")
        }

        @Test func aTechnicianSeesTheKiosksOwnStateAndNoMember() async throws {
            rig.liftCards()
            let sandbox = try await demoKiosk(locale: "en")
            let bound = try await sandbox.run(["staff", "add", "op-tech", "--name", "Taha", "--role", "technician",
                                               "--card", "uid:04C0FFEE000003", "--pin-stdin"], stdin: "7531\n")
            #expect(bound.status == 0, "\(bound.stderr)")
            let terminal = try terminal(sandbox)
            defer { terminal.close() }
            #expect(try await terminal.waitForScreen { $0.contains("Tap your card") }.matched, "\(log(sandbox))")
            #expect(try await waitUntilWatching(sandbox), "\(log(sandbox))")
            let card = try rig.insert(UIDOnlyCard(uid: [0x04, 0xC0, 0xFF, 0xEE, 0x00, 0x00, 0x03]))
            #expect(try await terminal.waitForScreen { $0.contains("Enter your PIN") }.matched, "\(log(sandbox))")
            card.remove()
            try terminal.type("7", "5", "3", "1", "Enter")
            // The demo store's 15 replayed events wait for a central that is not configured.
            let shown = try await terminal.waitForScreen { $0.contains("Outbox") && $0.contains("15 waiting") }
            #expect(shown.matched, "the technician's screen: \(shown.screen)\n\(log(sandbox))")
            #expect(shown.screen.contains("Loyalty program") && shown.screen.contains("2026-11-a"), "\(shown.screen)")
            #expect(shown.screen.contains("Technician") && shown.screen.contains("kiosk 0."), "\(shown.screen)")
            for name in ["Ali", "Mina", "Sara", "m-ali"] {
                #expect(!shown.screen.contains(name), "no member on the technician's screen: \(name)")
            }
        }

        @Test func anEnrollerWritesABlankCardWithTheirPINAndTheNewMemberIsGreetedOnTheNextTap() async throws {
            let (sandbox, terminal) = try await enrollerKiosk()
            defer { terminal.close() }
            try await startEnrolling(sandbox, terminal)
            let blankUID: [UInt8] = [0x04, 0x5A, 0x11, 0x22, 0x33, 0x44, 0x55]
            let blank = NTAGCard(model: .ntag215, uid: blankUID, message: nil)
            var presented = try rig.insert(blank)
            let phone = try await terminal.waitForScreen { $0.contains("Enter the mobile number") }
            #expect(phone.matched, "the token is written, the phone asked: \(phone.screen)\n\(log(sandbox))")
            // The card now carries a member token bound to its UID, signed with the kiosk's key.
            let records = try Type2TLV.message(in: blank.dataArea).records
            let payload = try #require(records.first { $0.type == Array(MemberToken.ndefType.utf8) }?.payload, "a token record: \(records)")
            let keys = try MemberTokenKeyring(current: MemberTokenKey(id: "k1", try #require(Hex.bytes(KioskSandbox.tokenKey))))
            let token = try MemberToken.verify(String(decoding: payload, as: UTF8.self), keys: keys, cardUID: blankUID)
            try terminal.type("0", "9", "1", "2", "3", "4", "5", "6", "7", "8", "9", "Enter")
            let done = try await terminal.waitForScreen { $0.contains("Welcome to the club") }
            #expect(done.matched, "the member is enrolled: \(done.screen)\n\(log(sandbox))")
            presented.remove()
            let store = try KioskStore(path: sandbox.storePath, mode: .readOnly)
            let lookup = try #require(try store.member(byCard: CardCredential.uidCardID(blankUID)), "the card is bound")
            #expect(lookup.memberID == token.member)
            #expect(try store.personal(of: token.member)?.phone == "09123456789")
            // The staff card again ends the session; the new card then greets its member.
            try rig.waitUntilEmpty()
            let staffCard = try rig.insert(UIDOnlyCard(uid: Self.enrollerUID))
            #expect(try await terminal.waitForScreen { $0.contains("Tap your card") }.matched, "\(log(sandbox))")
            staffCard.remove()
            try rig.waitUntilEmpty()
            presented = try rig.insert(blank)
            defer { presented.remove() }
            let greeted = try await terminal.waitForScreen { $0.contains("Welcome, club member") }
            #expect(greeted.matched, "the new member is greeted: \(greeted.screen)\n\(log(sandbox))")
            let audit = try String(contentsOfFile: sandbox.directory.file("kiosk.log"), encoding: .utf8)
            #expect(audit.contains("member enrolled"), "\(audit)")
            #expect(!audit.contains("2468") && !audit.contains("09123456789"), "no PIN and no phone number in the log")
        }

        @Test func aMifareClassicCardIsEnrolledByItsUIDWhereBareUIDsAreTrustedAndGreetsItsMember() async throws {
            // The demo trusts bare UIDs (readers.accept_bare_uid): such a card takes no token and needs none.
            let (sandbox, terminal) = try await enrollerKiosk()
            defer { terminal.close() }
            try await startEnrolling(sandbox, terminal)
            let uid: [UInt8] = [0x0A, 0x0B, 0x0C, 0x0D]
            var presented = try rig.insert(UIDOnlyCard(uid: uid))
            let phone = try await terminal.waitForScreen { $0.contains("Enter the mobile number") }
            #expect(phone.matched, "the card is taken as it is, the phone asked: \(phone.screen)\n\(log(sandbox))")
            try terminal.type("0", "9", "1", "2", "3", "4", "5", "6", "7", "0", "1", "Enter")
            let done = try await terminal.waitForScreen { $0.contains("Welcome to the club") }
            #expect(done.matched, "the member is enrolled: \(done.screen)\n\(log(sandbox))")
            presented.remove()
            let store = try KioskStore(path: sandbox.storePath, mode: .readOnly)
            let lookup = try #require(try store.member(byCard: CardCredential.uidCardID(uid)), "the card is bound by its UID")
            #expect(try store.personal(of: lookup.memberID)?.phone == "09123456701")
            #expect(log(sandbox).contains("card taken as it is"), "\(log(sandbox))")
            #expect(!log(sandbox).contains("member token not written"), "no write was tried: \(log(sandbox))")
            try rig.waitUntilEmpty()
            let staffCard = try rig.insert(UIDOnlyCard(uid: Self.enrollerUID))
            #expect(try await terminal.waitForScreen { $0.contains("Tap your card") }.matched, "\(log(sandbox))")
            staffCard.remove()
            try rig.waitUntilEmpty()
            presented = try rig.insert(UIDOnlyCard(uid: uid))
            defer { presented.remove() }
            let greeted = try await terminal.waitForScreen { $0.contains("Welcome, club member") }
            #expect(greeted.matched, "the new member is greeted on the card: \(greeted.screen)\n\(log(sandbox))")
        }

        @Test func anEnrollerReplacesAMembersCardAndOnlyTheNewOneGreetsThem() async throws {
            let (sandbox, terminal) = try await enrollerKiosk()
            defer { terminal.close() }
            let staffCard = try rig.insert(UIDOnlyCard(uid: Self.enrollerUID))
            #expect(try await terminal.waitForScreen { $0.contains("Enter your PIN") }.matched, "\(log(sandbox))")
            staffCard.remove()
            try terminal.type("2", "4", "6", "8", "Enter")
            #expect(try await terminal.waitForScreen { $0.contains("Replace a card") }.matched, "\(log(sandbox))")
            try terminal.type("2")
            #expect(try await terminal.waitForScreen { $0.contains("phone number") }.matched, "\(log(sandbox))")
            try rig.waitUntilEmpty()
            // Ali shows his old card (a lost one is found by his phone instead).
            var presented = try rig.insert(UIDOnlyCard(uid: Self.aliUID))
            let asked = try await terminal.waitForScreen { $0.contains("new blank card") }
            #expect(asked.matched, "the new card is asked for: \(asked.screen)\n\(log(sandbox))")
            presented.remove()
            try rig.waitUntilEmpty()
            let newUID: [UInt8] = [0x04, 0x5A, 0x99, 0x88, 0x77, 0x66, 0x55]
            let blank = NTAGCard(model: .ntag215, uid: newUID, message: nil)
            presented = try rig.insert(blank)
            let done = try await terminal.waitForScreen { $0.contains("new card is active") }
            #expect(done.matched, "the card is replaced: \(done.screen)\n\(log(sandbox))")
            presented.remove()
            // The new card carries Ali's own token, bound to its UID; the old card is blocked.
            let records = try Type2TLV.message(in: blank.dataArea).records
            let payload = try #require(records.first { $0.type == Array(MemberToken.ndefType.utf8) }?.payload, "a token record: \(records)")
            let keys = try MemberTokenKeyring(current: MemberTokenKey(id: "k1", try #require(Hex.bytes(KioskSandbox.tokenKey))))
            #expect(try MemberToken.verify(String(decoding: payload, as: UTF8.self), keys: keys, cardUID: newUID).member == "m-ali")
            let store = try KioskStore(path: sandbox.storePath, mode: .readOnly)
            #expect(try store.member(byCard: CardCredential.uidCardID(newUID))?.memberID == "m-ali")
            #expect(try store.member(byCard: CardCredential.uidCardID(Self.aliUID))?.cardBlocked == true)
            // Reza's card ends the session; then the old card is refused and the new one greets Ali.
            try rig.waitUntilEmpty()
            let again = try rig.insert(UIDOnlyCard(uid: Self.enrollerUID))
            #expect(try await terminal.waitForScreen { $0.contains("Tap your card") }.matched, "\(log(sandbox))")
            again.remove()
            try rig.waitUntilEmpty()
            presented = try rig.insert(UIDOnlyCard(uid: Self.aliUID))
            let refused = try await terminal.waitForScreen { $0.contains("This card is blocked") }
            #expect(refused.matched, "the old card is refused: \(refused.screen)\n\(log(sandbox))")
            presented.remove()
            try rig.waitUntilEmpty()
            #expect(try await terminal.waitForScreen(timeout: 40) { $0.contains("Tap your card") }.matched, "\(log(sandbox))")
            presented = try rig.insert(blank)
            defer { presented.remove() }
            let greeted = try await terminal.waitForScreen { $0.contains("Ali") }
            #expect(greeted.matched, "Ali is greeted on his new card: \(greeted.screen)\n\(log(sandbox))")
            #expect(log(sandbox).contains("card replaced"), "\(log(sandbox))")
        }

        @Test func aBlankCardIsNotWrittenForACustomerAndACardOfAMemberIsNeverOverwritten() async throws {
            let (sandbox, terminal) = try await enrollerKiosk()
            defer { terminal.close() }
            // A customer tapping a blank card: nothing is written.
            let blank = NTAGCard(model: .ntag215, uid: [0x04, 0x5A, 0x11, 0x22, 0x33, 0x44, 0x66], message: nil)
            let blankBefore = blank.dataArea
            var presented = try rig.insert(blank)
            #expect(try await terminal.waitForScreen { $0.contains("Card not recognised") }.matched, "\(log(sandbox))")
            presented.remove()
            #expect(blank.dataArea == blankBefore, "the blank card stays blank")
            // Staff enrolling, with Ali's card (bound to Ali by its UID) on the reader: refused, not written.
            try rig.waitUntilEmpty()
            try await startEnrolling(sandbox, terminal)
            let alisCard = NTAGCard(model: .ntag215, uid: Self.aliUID, message: nil)
            let alisBefore = alisCard.dataArea
            presented = try rig.insert(alisCard)
            defer { presented.remove() }
            let refused = try await terminal.waitForScreen { $0.contains("already enrolled") }
            #expect(refused.matched, "a member's card is refused: \(refused.screen)\n\(log(sandbox))")
            #expect(alisCard.dataArea == alisBefore, "Ali's card is not written")
        }

        static let enrollerUID: [UInt8] = [0x04, 0xC0, 0xFF, 0xEE, 0x00, 0x00, 0x02]

        /// The demo kiosk in English with Reza added, drawing on a terminal and watching its readers.
        func enrollerKiosk() async throws -> (KioskSandbox, TmuxTerminal) {
            rig.liftCards()
            let sandbox = try await demoKiosk(locale: "en")
            try await addEnroller(sandbox)
            let terminal = try terminal(sandbox)
            do {
                #expect(try await terminal.waitForScreen { $0.contains("Tap your card") }.matched, "\(log(sandbox))")
                #expect(try await waitUntilWatching(sandbox), "\(log(sandbox))")
            } catch {
                terminal.close()
                throw error
            }
            return (sandbox, terminal)
        }

        /// Reza, an enroller with PIN 2468, on the card `enrollerUID`.
        func addEnroller(_ sandbox: KioskSandbox) async throws {
            let bound = try await sandbox.run(["staff", "add", "op-reza", "--name", "Reza", "--role", "enroller",
                                               "--card", "uid:04C0FFEE000002", "--pin-stdin"], stdin: "2468\n")
            #expect(bound.status == 0, "\(bound.stderr)")
        }

        /// Reza taps his card, types his PIN and picks "Enroll a member": the kiosk then waits for
        /// the new card, with the reader empty.
        func startEnrolling(_ sandbox: KioskSandbox, _ terminal: TmuxTerminal) async throws {
            let staffCard = try rig.insert(UIDOnlyCard(uid: Self.enrollerUID))
            #expect(try await terminal.waitForScreen { $0.contains("Enter your PIN") }.matched, "\(log(sandbox))")
            staffCard.remove()
            try terminal.type("2", "4", "6", "8", "Enter")
            let menu = try await terminal.waitForScreen { $0.contains("Enroll a member") }
            #expect(menu.matched, "the enroller's menu: \(menu.screen)\n\(log(sandbox))")
            try terminal.type("1")
            #expect(try await terminal.waitForScreen { $0.contains("Tap the new card") }.matched, "\(log(sandbox))")
            try rig.waitUntilEmpty()
        }

        /// The README's first command ends in `kiosk run --demo`: with nothing but a home
        /// directory it sets itself up, says how to play, and greets the demo member on his card.
        @Test func theDemoKioskSetsItselfUpAndGreetsTheDemoMemberOnHisCard() async throws {
            rig.liftCards()
            let home = try TemporaryDirectory()
            let kiosk = try ProductLocator.executable("kiosk")
            let environment = ["HOME": home.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
            let terminal = try TmuxTerminal(columns: 120, rows: 40, command: "exec \(kiosk) run --demo", environment: environment)
            defer { terminal.close() }
            let demo = home.path + "/.local/state/kiosk/demo"
            let told = try await terminal.waitForScreen(timeout: 60) { $0.contains("Enter starts now") }
            #expect(told.matched, "the demo says how to play, then waits: \(told.screen)")
            #expect(told.screen.contains("KIOSK_CONFIG='\(demo)/kiosk.toml'") && told.screen.contains("sim card --kind uid --uid 04A1B2C3D4E5F6"))
            #expect(!told.screen.contains(try String(contentsOfFile: demo + "/secrets/card-token-key", encoding: .utf8)), "no key printed")
            let mode = try FileManager.default.attributesOfItem(atPath: demo + "/secrets/card-token-key")[.posixPermissions] as? Int
            #expect(mode == 0o600)
            try terminal.type("Enter")
            let tapYourCard = BidiParagraph.visual("کارت خود را نزدیک کنید", base: .rtl, presentationForms: true)
            let idle = try await terminal.waitForScreen { $0.contains(tapYourCard) }
            #expect(idle.matched, "the idle screen in Persian: \(idle.screen)")
            let log = { (try? String(contentsOfFile: demo + "/kiosk.log", encoding: .utf8)) ?? "(no log)" }
            let deadline = Date().addingTimeInterval(20)
            while !log().contains("reader added") && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
            let card = try rig.insert(UIDOnlyCard(uid: Self.aliUID))
            defer { card.remove() }
            let welcome = try await terminal.waitForScreen { $0.contains("Ali") }
            #expect(welcome.matched, "the demo member is greeted: \(welcome.screen)\n\(log())")
            #expect(!welcome.screen.contains("INFO"), "the log goes to its file, not over the screen")
            #expect(log().contains("kiosk starting"))
        }

        /// A till's receipt QR scanned at the kiosk, then the member's card: the points are added;
        /// the same receipt scanned again is refused, and nothing is added twice.
        @Test func aReceiptClaimedByScanIsRefusedTheSecondTime() async throws {
            rig.liftCards()
            let sandbox = try await demoKiosk(locale: "en")
            let keygen = try await sandbox.run("receipt", "keygen", "t1", "--out", sandbox.directory.path)
            #expect(keygen.status == 0, "\(keygen.stderr)")
            let socket = sandbox.directory.file("scan.sock")
            var configuration = try String(contentsOfFile: sandbox.configurationPath, encoding: .utf8)
            configuration += "\n[receipts]\npublic_key_files = [\"\(sandbox.directory.file("t1.pub"))\"]\n"
                + "[scanners]\ndev_socket = \"\(socket)\"\nhid_pos = false\n"
            try sandbox.write("kiosk.toml", configuration)
            let signed = try await sandbox.run("receipt", "sign", "--key", sandbox.directory.file("t1.key"), "--pos", "till-1",
                                               "--receipt", "r-1001", "--branch", "b-test", "--line", "dairy:500000")
            #expect(signed.status == 0, "\(signed.stderr)")
            let payload = signed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let pointsBefore = try KioskStore(path: sandbox.storePath).balances(of: "m-ali").points
            let terminal = try terminal(sandbox)
            defer { terminal.close() }
            #expect(try await terminal.waitForScreen { $0.contains("Tap your card") }.matched, "\(log(sandbox))")
            #expect(try await waitUntilWatching(sandbox), "\(log(sandbox))")
            func scan() async throws {
                var sent = try await sandbox.run("sim", "scan", "--socket", socket, "--aim", "]Q1", payload)
                let deadline = Date().addingTimeInterval(20)
                while sent.status != 0 && Date() < deadline {  // the socket is there once the scanner service runs
                    try await Task.sleep(for: .milliseconds(200))
                    sent = try await sandbox.run("sim", "scan", "--socket", socket, "--aim", "]Q1", payload)
                }
                #expect(sent.status == 0, "\(sent.stderr)")
            }
            try await scan()
            let waiting = try await terminal.waitForScreen { $0.contains("tap your card to claim it") }
            #expect(waiting.matched, "the receipt waits for a card: \(waiting.screen)\n\(log(sandbox))")
            var card = try rig.insert(UIDOnlyCard(uid: Self.aliUID))
            let accepted = try await terminal.waitForScreen { $0.contains("Receipt accepted") }
            #expect(accepted.matched, "the receipt is claimed: \(accepted.screen)\n\(log(sandbox))")
            card.remove()
            let pointsAfter = try KioskStore(path: sandbox.storePath, mode: .readOnly).balances(of: "m-ali").points
            #expect(pointsAfter > pointsBefore, "500,000 Rial of dairy earned points: \(pointsBefore) → \(pointsAfter)")
            try rig.waitUntilEmpty()
            #expect(try await terminal.waitForScreen(timeout: 40) { $0.contains("Tap your card") }.matched, "back to idle: \(log(sandbox))")
            try await scan()
            #expect(try await terminal.waitForScreen { $0.contains("tap your card to claim it") }.matched, "\(log(sandbox))")
            card = try rig.insert(UIDOnlyCard(uid: Self.aliUID))
            defer { card.remove() }
            let refused = try await terminal.waitForScreen { $0.contains("already claimed") }
            #expect(refused.matched, "the second claim is refused: \(refused.screen)\n\(log(sandbox))")
            #expect(try KioskStore(path: sandbox.storePath, mode: .readOnly).balances(of: "m-ali").points == pointsAfter)
        }

        /// An NTAG 424 DNA card's URL copied to another card: the copy says what the genuine card
        /// said before, and is refused; the genuine card goes on working.
        @Test func aClonedNTAG424URLIsRefusedAndTheGenuineCardGoesOn() async throws {
            rig.liftCards()
            let sandbox = try await demoKiosk(locale: "en")
            let uid: [UInt8] = [0x04, 0xDE, 0x5F, 0x1E, 0xAC, 0xC0, 0x40]
            let keys = try SDMKeys(metaRead: try #require(Hex.bytes(KioskSandbox.sdmMetaKey)), fileRead: try #require(Hex.bytes(KioskSandbox.sdmFileKey)))
            let terminal = try terminal(sandbox)
            defer { terminal.close() }
            #expect(try await terminal.waitForScreen { $0.contains("Tap your card") }.matched, "\(log(sandbox))")
            #expect(try await waitUntilWatching(sandbox), "\(log(sandbox))")
            let genuine = Type4Card(uid: uid, sun: .init(keys: keys, baseURL: "https://club.example/t", counter: 5))
            var presented = try rig.insert(genuine)
            // Not bound to a member here: a genuine card the kiosk does not know.
            #expect(try await terminal.waitForScreen { $0.contains("Card not recognised") }.matched, "\(log(sandbox))")
            presented.remove()
            let copied = try #require(genuine.message, "the URL the genuine card gave")
            try rig.waitUntilEmpty()
            #expect(try await terminal.waitForScreen(timeout: 40) { $0.contains("Tap your card") }.matched, "\(log(sandbox))")
            presented = try rig.insert(Type4Card(uid: uid, message: copied))
            let refused = try await terminal.waitForScreen { $0.contains("This card cannot be used") }
            #expect(refused.matched, "the copy is refused as a clone: \(refused.screen)\n\(log(sandbox))")
            presented.remove()
            try rig.waitUntilEmpty()
            #expect(try await terminal.waitForScreen(timeout: 40) { $0.contains("Tap your card") }.matched, "\(log(sandbox))")
            presented = try rig.insert(genuine)
            defer { presented.remove() }
            #expect(try await terminal.waitForScreen { $0.contains("Card not recognised") }.matched,
                    "the genuine card, with a later counter, still reads: \(log(sandbox))")
        }

        /// pcscd restarted while the kiosk runs: the reader comes back and the next tap works.
        @Test func afterPcscdRestartsMidSessionTheNextTapWorks() async throws {
            rig.liftCards()
            let sandbox = try await demoKiosk(locale: "en")
            let terminal = try terminal(sandbox)
            defer { terminal.close() }
            #expect(try await terminal.waitForScreen { $0.contains("Tap your card") }.matched, "\(log(sandbox))")
            #expect(try await waitUntilWatching(sandbox), "\(log(sandbox))")
            var card = try rig.insert(UIDOnlyCard(uid: Self.aliUID))
            #expect(try await terminal.waitForScreen { $0.contains("Ali") }.matched, "\(log(sandbox))")
            card.remove()
            try rig.restart()
            let deadline = Date().addingTimeInterval(20)
            while log(sandbox).components(separatedBy: "reader added reader=\"Virtual PCD 00 00\"").count < 3 && Date() < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(log(sandbox).components(separatedBy: "reader added reader=\"Virtual PCD 00 00\"").count >= 3,
                    "the reader is watched again after the restart: \(log(sandbox))")
            #expect(try await terminal.waitForScreen(timeout: 40) { $0.contains("Tap your card") }.matched, "\(log(sandbox))")
            card = try rig.insert(UIDOnlyCard(uid: Self.aliUID))
            defer { card.remove() }
            let greeted = try await terminal.waitForScreen { $0.contains("Ali") }
            #expect(greeted.matched, "the tap after the restart greets Ali: \(greeted.screen)\n\(log(sandbox))")
        }

        @Test func aSpinReachesTheReferenceCentralExactlyOnce() async throws {
            rig.liftCards()
            let sandbox = try await demoKiosk(locale: "en")
            let centralDB = sandbox.directory.file("central.sqlite")
            let central = try ProductLocator.executable("kiosk-central")
            let added = try await sandbox.runExecutable(central, ["add-device", "--kiosk", "kiosk-tools-test", "--branch", "b-test",
                                                                   "--sqlite", centralDB])
            #expect(added.status == 0, "\(added.stderr)")
            try sandbox.secretFile("central-token", added.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            let server = try KioskChild(central, ["serve", "--port", "0", "--sqlite", centralDB, "--config-dir", sandbox.directory.path],
                                        environment: sandbox.environment)
            defer { server.kill() }
            #expect(await server.waitUntil { out, _ in out.contains("listening on") }, "\(server.stderr)")
            let port = try #require(server.stdout.split(separator: ":").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
            var configuration = try String(contentsOfFile: sandbox.configurationPath, encoding: .utf8)
            configuration += "\n[central]\nurl = \"http://127.0.0.1:\(port)\"\ntoken_file = \"\(sandbox.directory.file("central-token"))\"\n"
            try sandbox.write("kiosk.toml", configuration)

            let terminal = try terminal(sandbox)
            defer { terminal.close() }
            #expect(try await terminal.waitForScreen { $0.contains("Tap your card") }.matched, "\(log(sandbox))")
            #expect(try await waitUntilWatching(sandbox), "\(log(sandbox))")
            var card = try rig.insert(UIDOnlyCard(uid: Self.aliUID))
            #expect(try await terminal.waitForScreen { $0.contains("Ali") }.matched, "\(log(sandbox))")
            card.remove()
            try rig.waitUntilEmpty()
            card = try rig.insert(UIDOnlyCard(uid: Self.aliUID))
            defer { card.remove() }
            #expect(try await terminal.waitForScreen { $0.contains("Show this screen at the counter") }.matched, "\(log(sandbox))")
            let stored = DatabaseQueue.self
            var spins = 0, all = 0
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                (spins, all) = try await stored.init(path: centralDB).read { db in
                    (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE type = 'wheel.spun' AND kiosk_id = 'kiosk-tools-test'") ?? 0,
                     try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") ?? 0)
                }
                if spins > 0 && all >= 16 { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            // The demo's replayed history (15 events) and the spin, each once.
            #expect(spins == 2 && all == 16, "the demo history has one spin, the kiosk added one: \(spins) spins, \(all) events\n\(log(sandbox))")
            let duplicates = try await stored.init(path: centralDB).read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) - COUNT(DISTINCT event_id) FROM events") ?? -1
            }
            #expect(duplicates == 0)
        }
    }
}
