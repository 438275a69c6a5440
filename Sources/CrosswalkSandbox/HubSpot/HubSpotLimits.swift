import CrosswalkCore
import Foundation

/// Request-size limits answered before routing: a request target longer than `maxURILength` is HubSpot's 414
/// (a GET naming hundreds of `properties=` meets it), a body over `maxBodyBytes` is 413, both in HubSpot's error shape.
enum HubSpotLimits {
    static func refuse(_ request: SandboxRequest, configuration: HubSpotApp.Configuration) -> HubSpotError? {
        let length = request.path.utf8.count + (request.rawQuery.isEmpty ? 0 : request.rawQuery.utf8.count + 1)
        if length > configuration.maxURILength {
            return HubSpotError(httpStatus: 414, category: "VALIDATION_ERROR",
                                message: "URI Too Long: the request line has \(length) characters; the limit is \(configuration.maxURILength). Send long property lists in a POST body (batch/read or search) instead.",
                                context: ["limit": [String(configuration.maxURILength)]])
        }
        if request.body.count > configuration.maxBodyBytes {
            return HubSpotError(httpStatus: 413, category: "VALIDATION_ERROR",
                                message: "Request Entity Too Large: the body has \(request.body.count) bytes; the limit is \(configuration.maxBodyBytes).",
                                context: ["limit": [String(configuration.maxBodyBytes)]])
        }
        return nil
    }
}
