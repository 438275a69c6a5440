import Foundation

/// What `SandboxServer.run` reports once every app listens: base URLs and the CA file for HTTPS.
///
/// ``jsonLine(credentials:)`` is the readiness line the `crosswalk sandbox` command prints on stdout and the
/// fidelity tests wait for, one JSON object on one line:
/// ```json
/// {"apps":{"salesforce":"https://127.0.0.1:8400","hubspot":"http://127.0.0.1:8402",…},"ca_file":"/tmp/…/ca.pem",
///  "credentials":{"salesforce":{"client_id":"…",…}},"ready":true}
/// ```
/// `ca_file` is `null` when no app serves HTTPS; `credentials` holds each app's demo credentials.
public struct SandboxReadiness: Sendable {
    /// Base URL per app name, e.g. `salesforce` → `https://127.0.0.1:8400`.
    public var urls: [String: URL]
    /// PEM file of the CA that signed the HTTPS certificate (trust it via `REQUESTS_CA_BUNDLE`).
    public var caFile: URL?

    public init(urls: [String: URL], caFile: URL?) {
        self.urls = urls
        self.caFile = caFile
    }

    /// The one-line JSON readiness message (keys sorted, no newline at the end).
    /// - Parameter credentials: Demo credentials per app name, as each app documents them.
    public func jsonLine(credentials: [String: [String: String]] = [:]) -> String {
        let object: [String: Any] = [
            "ready": true,
            "apps": urls.mapValues(\.absoluteString),
            "ca_file": caFile?.path ?? NSNull(),
            "credentials": credentials,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
