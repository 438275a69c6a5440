import Foundation

/// The last test of each connection in this process (`POST /api/v1/connections/{c}/test` or the
/// dashboard's Test button): when, and what it answered. In memory only: after a restart the
/// dashboard says "not tested" until the next test (and shows the last runs of the connection's flows).
actor ConnectionHealth {
    struct Check: Sendable {
        var at: Date
        var result: ConnectionTestDTO
    }

    private var checks: [String: Check] = [:]

    func record(_ connection: String, _ result: ConnectionTestDTO, at: Date = Date()) {
        checks[connection] = Check(at: at, result: result)
    }

    func last(_ connection: String) -> Check? { checks[connection] }
}
