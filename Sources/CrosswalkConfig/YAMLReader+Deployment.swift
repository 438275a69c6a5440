import Foundation
import Yams

/// The `crosswalk.yaml` schema, read section by section over ``YAMLReader``.
extension YAMLReader {
    /// The deployment in `root`, or `nil` if any issue was reported. Section readers return
    /// placeholders after reporting an issue, so only a clean read yields a config.
    mutating func deployment(_ root: Located, baseDirectory: String) -> DeploymentConfig? {
        let sections = ["version", "plugins", "store", "vault", "sandbox", "connections", "flows", "service"]
        guard let top = fields(root, allowed: sections, required: ["version"]) else { return nil }
        if let node = top["version"], let version = int(node), version != DeploymentConfig.currentVersion {
            report(node.line, node.path,
                   "unsupported version \(version) (this Crosswalk reads version \(DeploymentConfig.currentVersion))")
        }
        let defaults = DeploymentConfig.default(baseDirectory: baseDirectory)
        let config = DeploymentConfig(
            plugins: present(top["plugins"]).map { plugins($0, baseDirectory: baseDirectory) } ?? defaults.plugins,
            store: present(top["store"]).map { store($0, baseDirectory: baseDirectory) } ?? defaults.store,
            vault: present(top["vault"]).map { vault($0, baseDirectory: baseDirectory) } ?? defaults.vault,
            sandbox: present(top["sandbox"]).map { sandbox($0) },
            connections: present(top["connections"])
                .map { named($0, kind: "connection") { $0.connection($1, name: $2) } } ?? [:],
            flows: present(top["flows"]).map { named($0, kind: "flow") { $0.flow($1, name: $2) } } ?? [:],
            service: present(top["service"]).map { service($0) } ?? ServiceConfig())
        return issues.isEmpty ? config : nil
    }

    /// `value` unless it is absent or an explicit null (`plugins:` with nothing after it).
    private func present(_ value: Located?) -> Located? {
        value.flatMap { $0.isNull ? nil : $0 }
    }

    private mutating func plugins(_ value: Located, baseDirectory: String) -> PluginsConfig {
        let fields = fields(value, allowed: ["paths", "enabled", "isolation", "deadlines", "max_result_bytes"]) ?? [:]
        let paths = fields["paths"].map { (strings($0) ?? []).map { resolve($0, against: baseDirectory) } }
        var isolation: PluginIsolationSetting?
        if let node = fields["isolation"], let text = string(node) {
            isolation = PluginIsolationSetting(rawValue: text)
            if isolation == nil {
                report(node.line, node.path, "expected one of: \(PluginIsolationSetting.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        var deadlines: [String: Duration] = [:]
        if let node = present(fields["deadlines"]) {
            for (name, entry) in entries(node, allowed: PluginsConfig.deadlineOperations) ?? [] {
                if let d = duration(entry) { deadlines[name] = d }
            }
        }
        var maxResultBytes: Int?
        if let node = fields["max_result_bytes"] {
            maxResultBytes = byteCount(node)
        }
        return PluginsConfig(paths: paths ?? DeploymentConfig.default(baseDirectory: baseDirectory).plugins.paths,
                             enabled: fields["enabled"].flatMap { strings($0) } ?? [],
                             isolation: isolation, deadlines: deadlines, maxResultBytes: maxResultBytes)
    }

    /// `30s`, `500ms`, `2m`, `1h`, or a number of seconds; more than zero.
    private mutating func duration(_ value: Located) -> Duration? {
        let expected = "a duration such as 30s, 500ms, 2m or 1h"
        guard case .scalar(let scalar) = value.node else { return mismatch(value, expected: expected) }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = text, scale = 1.0
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            let head = String(text.dropLast(suffix.count))
            if Double(head) != nil {
                number = head
                scale = factor
                break
            }
        }
        guard let amount = Double(number), amount.isFinite, amount > 0 else {
            report(value.line, value.path, "expected \(expected), more than zero; found '\(text)'")
            return nil
        }
        return .milliseconds(Int64((amount * scale * 1000).rounded()))
    }

    /// An integer number of bytes, or `512KiB`, `64MiB`, `1GiB`; more than zero.
    private mutating func byteCount(_ value: Located) -> Int? {
        guard case .scalar(let scalar) = value.node else { return mismatch(value, expected: "a number of bytes") }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        let units: [(String, Int)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30)]
        var number = text, scale = 1
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            number = String(text.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            scale = factor
        }
        guard let amount = Int(number), amount > 0, amount <= Int.max / scale else {
            report(value.line, value.path, "expected a number of bytes (e.g. 67108864 or 64MiB), more than zero; found '\(text)'")
            return nil
        }
        return amount * scale
    }

    private mutating func store(_ value: Located, baseDirectory: String) -> StoreConfig {
        guard let fields = fields(value, allowed: ["sqlite", "postgres"]) else { return .sqlite(path: "") }
        switch (fields["sqlite"], fields["postgres"]) {
        case (let sqlite?, nil):
            return .sqlite(path: resolve(string(sqlite) ?? "", against: baseDirectory))
        case (nil, let postgres?):
            // `postgres: URL` or `postgres: {url: URL, password: {env: NAME}}`.
            var urlNode = postgres
            var password: SecretSource?
            if case .scalar = postgres.node {} else {
                guard let settings = self.fields(postgres, allowed: ["url", "password"], required: ["url"]), let url = settings["url"] else {
                    return .sqlite(path: "")
                }
                urlNode = url
                if let node = present(settings["password"]) {
                    password = secretSource(node, what: "password")
                    if case .vault? = password {
                        report(node.line, node.path, "the store's password cannot come from the vault, which is kept in the store: use {env: VARIABLE}")
                        password = nil
                    }
                }
            }
            if let text = string(urlNode) {
                if let url = URL(string: text), ["postgres", "postgresql"].contains(url.scheme), url.host != nil {
                    if URLComponents(url: url, resolvingAgainstBaseURL: false)?.password != nil {
                        report(urlNode.line, urlNode.path, "the URL holds a password, which never goes in the file: remove it and set password: {env: VARIABLE}")
                    } else {
                        return .postgres(url: url, password: password)
                    }
                } else {
                    report(urlNode.line, urlNode.path, "expected a URL like postgres://user@host:5432/crosswalk")
                }
            }
        case (.some, .some):
            report(value.line, value.path, "set exactly one of 'sqlite' or 'postgres', not both")
        case (nil, nil):
            report(value.line, value.path, "set one of 'sqlite' (a file path) or 'postgres' (a URL)")
        }
        return .sqlite(path: "")
    }

    private mutating func vault(_ value: Located, baseDirectory: String) -> VaultConfig {
        guard let fields = fields(value, allowed: ["key_env", "key_file"]) else { return .default }
        switch (fields["key_env"], fields["key_file"]) {
        case (let name?, nil):
            return .keyEnvironment(string(name) ?? "")
        case (nil, let file?):
            return .keyFile(resolve(string(file) ?? "", against: baseDirectory))
        case (.some, .some):
            report(value.line, value.path, "set exactly one of 'key_env' or 'key_file', not both")
        case (nil, nil):
            report(value.line, value.path, "set one of 'key_env' (an environment variable) or 'key_file' (a path)")
        }
        return .default
    }

    private mutating func sandbox(_ value: Located) -> SandboxConfig {
        let fields = fields(value, allowed: ["port"]) ?? [:]
        guard let node = fields["port"], let port = int(node) else { return SandboxConfig() }
        if !(1...65535).contains(port) { report(node.line, node.path, "port must be between 1 and 65535") }
        return SandboxConfig(port: port)
    }

    private mutating func service(_ value: Located) -> ServiceConfig {
        let fields = fields(value, allowed: ["listen", "public_url", "admin_token", "notifications", "lease_ttl"]) ?? [:]
        var config = ServiceConfig()
        if let node = fields["listen"], let text = string(node) {
            if ServiceConfig.parseListen(text) == nil {
                report(node.line, node.path, "expected host:port such as 127.0.0.1:8080 or [::1]:8080 (port 0 picks a free one); found '\(text)'")
            } else {
                config.listen = text
            }
        }
        if let node = present(fields["public_url"]), let text = string(node) {
            switch ServiceConfig.parsePublicURL(text) {
            case .success(let url): config.publicURL = url
            case .failure(let problem): report(node.line, node.path, problem.message)
            }
        }
        if let node = present(fields["admin_token"]), let source = secretSource(node, what: "token") {
            config.adminToken = source
        }
        if let node = present(fields["notifications"]) { config.notifications = notifications(node) }
        if let node = present(fields["lease_ttl"]), let ttl = duration(node) {
            if ttl < .seconds(1) { report(node.line, node.path, "lease_ttl must be at least 1s") } else { config.leaseTTL = ttl }
        }
        return config
    }

    /// `{env: VARIABLE}` or `{vault: ENTRY}`; a value written in the file itself is refused.
    private mutating func secretSource(_ node: Located, what: String) -> SecretSource? {
        if case .scalar = node.node {
            report(node.line, node.path, "the \(what) never goes in the file: use {env: VARIABLE} or {vault: ENTRY}")
            return nil
        }
        guard let source = self.fields(node, allowed: ["env", "vault"]) else { return nil }
        switch (source["env"], source["vault"]) {
        case (let env?, nil): return .environment(string(env) ?? "")
        case (nil, let entry?): return .vault(string(entry) ?? "")
        case (.some, .some): report(node.line, node.path, "set exactly one of 'env' or 'vault', not both")
        case (nil, nil): report(node.line, node.path, "set one of 'env' (an environment variable) or 'vault' (a vault entry)")
        }
        return nil
    }

    /// A number (integer or not) as a `Double`.
    private mutating func share(_ node: Located) -> Double? {
        switch json(node) {
        case .int(let n)?: return Double(n)
        case .double(let d)?: return d
        case nil: return nil
        default:
            report(node.line, node.path, "expected a number")
            return nil
        }
    }

    private mutating func notifications(_ value: Located) -> NotificationsConfig? {
        guard let fields = fields(value, allowed: ["webhook_url", "failure_rate", "min_records"], required: ["webhook_url"]) else { return nil }
        var config = NotificationsConfig(webhookURL: .environment(""))
        if let node = fields["failure_rate"], let rate = share(node) {
            if (0...1).contains(rate) { config.failureRate = rate } else { report(node.line, node.path, "failure_rate is a share between 0 and 1, such as 0.1; found \(rate)") }
        }
        if let node = fields["min_records"], let n = int(node) {
            if n >= 1 { config.minRecords = n } else { report(node.line, node.path, "min_records must be 1 or more") }
        }
        guard let node = fields["webhook_url"], let url = secretSource(node, what: "webhook URL") else { return nil }
        config.webhookURL = url
        return config
    }

    private mutating func connection(_ value: Located, name: String) -> ConnectionConfig {
        let fields = fields(value, allowed: ["connector", "settings", "credentials"], required: ["connector"]) ?? [:]
        return ConnectionConfig(name: name, connector: fields["connector"].flatMap { string($0) } ?? "",
                                settings: .object(present(fields["settings"]).flatMap { object($0) } ?? [:]),
                                credentials: fields["credentials"].flatMap { string($0) })
    }

    private mutating func flow(_ value: Located, name: String) -> FlowConfig {
        FlowConfig(name: name, fields: object(value) ?? [:])
    }

    /// A mapping of `[a-z0-9][a-z0-9_-]*` names to entries read by `read`.
    private mutating func named<T>(_ value: Located, kind: String,
                                   read: (inout YAMLReader, Located, String) -> T) -> [String: T] {
        var result: [String: T] = [:]
        for (name, entry) in entries(value) ?? [] {
            if !Self.isValidName(name) {
                report(entry.line, entry.path,
                       "invalid \(kind) name (use lowercase letters, digits, '-' and '_', starting with a letter or digit)")
            }
            result[name] = read(&self, entry, name)
        }
        return result
    }

    static func isValidName(_ name: String) -> Bool {
        let start: ClosedRange<Character> = "a"..."z", digits: ClosedRange<Character> = "0"..."9"
        guard let first = name.first, start.contains(first) || digits.contains(first) else { return false }
        return name.allSatisfy { start.contains($0) || digits.contains($0) || $0 == "-" || $0 == "_" }
    }
}
