@preconcurrency import CrosswalkABI
import CrosswalkConnectors
import CrosswalkCore
import Foundation

extension CrosswalkError.Code {
    /// A plugin's worker process died during the call (a signal or an exit). The worker is
    /// restarted; whether a write in flight reached the app is unknown.
    public static let pluginCrashed = CrosswalkError.Code("plugin_crashed")
    /// The plugin's instance is out of service: an in-process call never came back after its
    /// deadline, or its worker could not be restarted.
    public static let pluginQuarantined = CrosswalkError.Code("plugin_quarantined")
}

/// The errors the host raises about plugins: each names the plugin and the operation, with
/// `plugin`, `connection` and `operation` context, and never carries a Foundation error text.
enum PluginErrors {
    static func context(plugin: String, connection: String?, operation: String) -> [String: String] {
        var context = ["plugin": plugin, "operation": operation]
        context["connection"] = connection
        return context
    }

    /// "<plugin>: <operation> <message>".
    static func host(_ code: CrosswalkError.Code, plugin: String, connection: String?, operation: String, _ message: String,
                     retryAfterMilliseconds: Int? = nil) -> CrosswalkError {
        CrosswalkError(code, "\(plugin): \(operation) \(message)", context: context(plugin: plugin, connection: connection, operation: operation),
                       retryAfterMilliseconds: retryAfterMilliseconds)
    }

    /// The error a plugin reported: its status and its error document (`{"version":1,"code":…,
    /// "message":…,"retry_after_ms":…,"fields":[…]}`; `version` may be missing).
    static func fromStatus(_ status: crosswalk_status, detail: Data, operation: String, plugin: String, connection: String?) -> CrosswalkError {
        var context = context(plugin: plugin, connection: connection, operation: operation)
        var message: String?
        var retryAfter: Int?
        var documentProblem: String?
        if !detail.isEmpty {
            do {
                let document = try JSONParser.parse(detail)
                if case .object = document {
                    message = document["message"]?.stringValue
                    retryAfter = document["retry_after_ms"]?.intValue
                    if let fields = document["fields"]?.arrayValue?.compactMap(\.stringValue), !fields.isEmpty {
                        context["fields"] = fields.joined(separator: ",")
                    }
                } else {
                    documentProblem = "an error document that is not a JSON object"
                }
            } catch {
                documentProblem = "an error document that is not valid JSON (\(error))"
            }
        }
        let code = ABIStatus.code(for: status)
        if status == CROSSWALK_OK {
            return host(.internalError, plugin: plugin, connection: connection, operation: operation, "answered OK without an instance")
        }
        guard ABIStatus.isKnown(status) else {
            let retryable = code.isRetryable ? " (100..199: treated as retryable)" : ""
            return CrosswalkError(code, "\(plugin): \(operation) answered status \(status), which is not a Crosswalk status\(retryable)"
                                  + (message.map { ": \($0)" } ?? ""), context: context, retryAfterMilliseconds: retryAfter)
        }
        if let message { return CrosswalkError(code, message, context: context, retryAfterMilliseconds: retryAfter) }
        let why = documentProblem.map { "with \($0)" } ?? "without a message"
        return CrosswalkError(code, "\(plugin): \(operation) failed (\(code)) \(why)", context: context, retryAfterMilliseconds: retryAfter)
    }

    static func timeout(plugin: String, connection: String?, operation: String, deadline: Duration) -> CrosswalkError {
        host(.timeout, plugin: plugin, connection: connection, operation: operation, "did not return within its deadline of \(deadline.spoken)")
    }

    static func cancelled(plugin: String, connection: String?, operation: String) -> CrosswalkError {
        host(.cancelled, plugin: plugin, connection: connection, operation: operation, "was cancelled by the caller")
    }

    static func destroyed(plugin: String, connection: String?, operation: String) -> CrosswalkError {
        CrosswalkError(.invalidArgument, "\(operation) on an instance that was destroyed",
                       context: context(plugin: plugin, connection: connection, operation: operation))
    }

    static func buffer(_ problem: BufferProblem, plugin: String, connection: String?, operation: String) -> CrosswalkError {
        host(.internalError, plugin: plugin, connection: connection, operation: operation, problem.message)
    }
}
