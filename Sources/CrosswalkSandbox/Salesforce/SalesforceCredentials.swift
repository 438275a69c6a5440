import Foundation

/// The connected app and API user the emulated org accepts. The demo values are fixed and documented:
/// tests, the README and `crosswalk sandbox`'s banner use them. They protect nothing.
public struct SalesforceCredentials: Sendable {
    /// Connected app consumer key (`client_id`, JWT `iss`).
    public var clientID: String
    /// Connected app consumer secret (`client_secret`; also the key of the token response `signature`).
    public var clientSecret: String
    /// The API user's username (password grant, JWT `sub`).
    public var username: String
    public var password: String
    /// Appended to the password in the password grant (either form is accepted, as an org with a trusted IP range would).
    public var securityToken: String
    /// PEM certificate (or public key) that verifies JWT bearer assertions (RS256).
    public var jwtCertificatePEM: String

    public init(clientID: String, clientSecret: String, username: String, password: String, securityToken: String, jwtCertificatePEM: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.username = username
        self.password = password
        self.securityToken = securityToken
        self.jwtCertificatePEM = jwtCertificatePEM
    }

    /// The documented demo connected app and user.
    public static let demo = SalesforceCredentials(
        clientID: "3MVG9CrosswalkSandboxDemoConsumerKey",
        clientSecret: "crosswalk-sandbox-demo-consumer-secret",
        username: "integration@crosswalk-sandbox.example",
        password: "crosswalk-demo",
        securityToken: "SANDBOXTOKEN",
        jwtCertificatePEM: demoJWTCertificatePEM)

    /// The credentials as the readiness line and banner print them.
    public var dictionary: [String: String] {
        ["client_id": clientID, "client_secret": clientSecret, "username": username, "password": password,
         "security_token": securityToken, "token_path": "/services/oauth2/token"]
    }

    /// Certificate of the demo JWT signing key (RSA 2048, valid until 2046).
    public static let demoJWTCertificatePEM = """
-----BEGIN CERTIFICATE-----
MIIDbTCCAlWgAwIBAgIUCvZwMqlfgzy6gZhkRpwcsHjN1sswDQYJKoZIhvcNAQEL
BQAwRjESMBAGA1UECgwJQ3Jvc3N3YWxrMTAwLgYDVQQDDCdDcm9zc3dhbGsgU2Fu
ZGJveCBKV1QgRGVtbyAobm90IHNlY3JldCkwHhcNMjYxMTI2MDY0ODM2WhcNNDYx
MTIxMDY0ODM2WjBGMRIwEAYDVQQKDAlDcm9zc3dhbGsxMDAuBgNVBAMMJ0Nyb3Nz
d2FsayBTYW5kYm94IEpXVCBEZW1vIChub3Qgc2VjcmV0KTCCASIwDQYJKoZIhvcN
AQEBBQADggEPADCCAQoCggEBAMCrcI8i1JwZ+abSzRNq15SMnpjOBb9Jqw0xYtZG
FPgIRepjtcjPwvKmhyQKn73Gd68i+1DBzYd9bmR44zF2Vbkw6uB5wlx48hEMGMxX
UX56sIyRcEEGNNmgxdVircAD22dXjhf3VedHlMv6I3yT6x8gHXsM4bN8zRoi9CTe
b0ANKSese/eX5hAm/britM4wO1MJMcjb0wYgL/tEnisNah3U1Wjzfe77k7USwhwY
uDjOnz7Wwy1eE5hVb08k9q4wx1blRtVjS7fCZF3yY+B5CiBeUUInJvVFPgOE0f0P
n/AHs3c9GauVbKiEAsCYDaXpFIsSQmLCj2alDAL8AMRh6iUCAwEAAaNTMFEwHQYD
VR0OBBYEFO6Lzxkx7Z6ndMT1uFUoA0FB2dCdMB8GA1UdIwQYMBaAFO6Lzxkx7Z6n
dMT1uFUoA0FB2dCdMA8GA1UdEwEB/wQFMAMBAf8wDQYJKoZIhvcNAQELBQADggEB
AHFW4QQu1V4dEJj/HDf2xArj71Ua7KlCeboRI/kk45u6ipeysKolvPpdrr01eAME
Xi4rwEu7I/U6MPWE2mQZHToULkD+Z8zR9T0auuUpVuDbumDWFQgbtlBKNZs5q0Ke
LWsktfS8g3yZKV+SIUT1ZaBj5srPoTrM5PKENC4aHXHfLwY6o63D7Q9hsfAbPHJF
PKDQOXx+/wDO+0yNCnHf7EXrr4kZodzJHF0v+3gHmppjwrtjoRbg7QQsm6g9T1Mu
DC4WwBfJCMoDW0NwxFL/8p5nqKVJkp4S5YYUg+b6oM7pP+hE/aUYLrkzozKDidSh
39MesfVmPYgTGgCoQhStZ/k=
-----END CERTIFICATE-----
"""

    /// DEMO ONLY, published on purpose: the private key that signs JWT bearer assertions the demo org
    /// accepts. Never use it for anything real.
    public static let demoJWTPrivateKeyPEM = """
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDAq3CPItScGfmm
0s0TateUjJ6YzgW/SasNMWLWRhT4CEXqY7XIz8LypockCp+9xnevIvtQwc2HfW5k
eOMxdlW5MOrgecJcePIRDBjMV1F+erCMkXBBBjTZoMXVYq3AA9tnV44X91XnR5TL
+iN8k+sfIB17DOGzfM0aIvQk3m9ADSknrHv3l+YQJv264rTOMDtTCTHI29MGIC/7
RJ4rDWod1NVo833u+5O1EsIcGLg4zp8+1sMtXhOYVW9PJPauMMdW5UbVY0u3wmRd
8mPgeQogXlFCJyb1RT4DhNH9D5/wB7N3PRmrlWyohALAmA2l6RSLEkJiwo9mpQwC
/ADEYeolAgMBAAECggEAKCKObALBb1Mp4kp/VdAn4FX6o7InGFXsP+9Nu30V2SVA
CzeCIrbE0W9HL4bXB91UCTOsToJQoizK1jsoeKFB8jXyd5hlmIXJRyvR7p8x5rsA
FAgn7iOw1rTbATxxHVKwXbKrcuqfBnKu2F7fDZBypiU2fu+MBKu2vf8SBKwhWKII
ovQ/40NM6297tBEX4fVbCkChOItN9qHjEXG1c9lB1Gt6Fjd0ixVZsRNx35CARWMQ
pLijD7BMaCI1axABv7ItcMx0fPHrQp5x4kRhK778CkitnZBt3EqAnWpt0PDTwU8L
4fn+co4/HtSL2QqEHOU2DUaqWCRrI1MubyUq3rJp8QKBgQDk0sxRFgHzrqonn+5v
e7QbLGaza98xFiona3YTFFXayfifCYBMenQcEWy7wVKHPC7ndQ2KoKfLVYX4EoFN
UsPOIcl3ecHubS9ThXqSn6/aS9rm/HZZBC2zsZ+wWeg9KqkceTqVcBHExO/au998
7KiesLDKbM1WsFvhf6ZM3onZTwKBgQDXjWogsHidkjwfBVZOanbIBlASB9f7YoAD
2UymvLuA+EBzPz4vrrMINTdoofyTItCo3aOSQJdz1QaRKmLD1x04KGWX04WbnMAi
wkxmELQJ7Xow7LGQuOeX+Qd/yIhuqDbQR1TxDswBpw3XzkvbqsAkf5vBo+xPJODM
Qpxll7zASwKBgDoSJTgO1b/5+8TCmchBJJwg0I+IOMREU75dT0HYT1GPIEF8L8s4
6G6XHXkovsEDTQQAeMdNrke0FKO4TohJENgnSvG/PLA9lV0k6s57KC3GQm+Mcpx0
qwSHd3dR2dZsFS7ctTlnj5rYP+bK9xTFGqXrQXKd2h698xNvSc0ITQORAoGAEhbw
HSYyOScYnJHaGGKe7VJ6TckSuyodDDWkVSnpon0zC3j3QxEqPToaGFHf3IlDcaiI
HbIGA9aQ4oXoG/9lmFzrib5arCCPj1s3BinIsjyX0JtMm5So+vwPQQ4XRRIg54HV
AxX20PywELhjbV/7GBUNgUa8gjfaFcpRTcVaNdkCgYEA3iYokUwB2lSA3MsuBwyo
f6BC3VKeyggi83BlyXlBgFuiXv1G1qf0LO1bScamXUxiQte3uzzeJ5I/TvM+r6LD
qiWW9VM0bUJvPbU+9SW9ZZ3vudLEZmKf1Xh/MbaR06JGHug+F5vtyBCrgFuEqJRE
rT6BK/VvL2GuNrbeioj7JMs=
-----END PRIVATE KEY-----
"""
}
