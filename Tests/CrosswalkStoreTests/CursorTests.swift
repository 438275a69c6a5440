import CrosswalkCore
@testable import CrosswalkStore
import Testing

@Suite("Flow cursors")
struct CursorTests {
    @Test("a cursor round-trips per flow and object, and a new one replaces it", arguments: StoreBackend.allCases)
    func roundTrip(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            #expect(try await store.cursor(flow: "f", object: "Contact") == nil)
            let json = #"{"v":1,"since":"2026-01-01T00:00:00Z","page":"é☃"}"#
            try await store.setCursor(flow: "f", object: "Contact", json: json)
            try await store.setCursor(flow: "f", object: "Account", json: #"{"v":1}"#)
            #expect(try await store.cursor(flow: "f", object: "Contact")?.json == json)
            try await store.setCursor(flow: "f", object: "Contact", json: #"{"v":2}"#)
            #expect(try await store.cursor(flow: "f", object: "Contact")?.json == #"{"v":2}"#)
            #expect(try await store.cursor(flow: "f", object: "Account")?.json == #"{"v":1}"#)
            #expect(try await store.cursor(flow: "g", object: "Contact") == nil)
        }
    }

    @Test("a cursor that is not JSON is refused", arguments: StoreBackend.allCases)
    func invalidJSON(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            let error = await #expect(throws: CrosswalkError.self) {
                try await store.setCursor(flow: "f", object: "Contact", json: "page 3")
            }
            let stored = try await store.cursor(flow: "f", object: "Contact")
            #expect(error?.code == .invalidArgument)
            #expect(stored == nil)
        }
    }
}
