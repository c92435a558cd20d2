import Foundation
import TrailModel

/// One secret planted in evidence: what kind it is and the texts that must never come out of mitrail.
struct PlantedSecret {
    var kind: String
    /// The secret parts (random, at least 16 characters each); the rest of the planted text is not secret.
    var needles: [String]
}

/// Makes secrets of every kind mitrail must never keep, from a seed, in the notations Azure tools and
/// logs write them: IMDS token responses, `Authorization` and cookie headers (as text, as JSON, as HAR
/// name/value pairs), SAS URLs (plain, JSON-escaped `\u0026`, URL-encoded inside another URL), storage
/// account keys, connection strings and client secrets. Every secret made is remembered in `planted`.
struct SecretFactory {
    var random: SeededGenerator
    private(set) var planted: [PlantedSecret] = []

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    static let base64URLAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    mutating func characters(_ count: Int, from alphabet: [Character]) -> String {
        String((0..<count).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
    }

    mutating func pick<T>(_ choices: [T]) -> T { choices[Int(random.next() % UInt64(choices.count))] }

    mutating func length(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }

    mutating func remember(_ kind: String, _ needles: String...) {
        planted.append(PlantedSecret(kind: kind, needles: needles))
    }

    mutating func fakeGUID() -> String {
        "00000000-0000-0000-0000-" + String(format: "%012x", random.next() % 0xFFFF)
    }

    /// A JWT with fake claims and a random signature; the signature and the whole token are secret.
    mutating func jwt(kind: String) -> String {
        func segment(_ json: String) -> String {
            Data(json.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        let header = segment(#"{"typ":"JWT","alg":"RS256","kid":"\#(characters(12, from: Self.base64URLAlphabet))"}"#)
        let payload = segment(#"{"aud":"https://storage.azure.com/","oid":"\#(fakeGUID())","appid":"\#(fakeGUID())","tid":"\#(fakeGUID())","iat":1772618400,"exp":1772704800}"#)
        let signature = characters(length(43...342), from: Self.base64URLAlphabet)
        let token = header + "." + payload + "." + signature
        remember(kind, token, signature)
        return token
    }

    mutating func opaque(kind: String) -> String {
        let value = characters(length(20...80), from: Self.base64URLAlphabet)
        remember(kind, value)
        return value
    }

    mutating func accountKey(kind: String) -> String {
        let key = characters(86, from: Self.base64Alphabet) + "=="
        remember(kind, key)
        return key
    }

    /// A SAS signature as it appears in a URL: base64 with `+`, `/` and `=` percent-encoded.
    mutating func sasSignature(kind: String) -> String {
        let signature = (characters(43, from: Self.base64Alphabet) + "=")
            .replacingOccurrences(of: "+", with: "%2B").replacingOccurrences(of: "/", with: "%2F").replacingOccurrences(of: "=", with: "%3D")
        remember(kind, signature)
        return signature
    }

    /// An Entra ID client secret as the portal makes it: `abc8Q~` and 34 more characters.
    mutating func clientSecret(kind: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.-")
        let secret = characters(3, from: Array("abcdefghijklmnopqrstuvwxyz")) + String(random.next() % 10) + "Q~" + characters(34, from: alphabet)
        remember(kind, secret)
        return secret
    }

    mutating func sasURL(separator: String = "&") -> String {
        let query = ["sv=2022-11-02", "ss=b", "srt=co", "sp=rl", "se=2026-03-05T00:00:00Z", "spr=https"]
        return "https://stfake\(random.next() % 100).blob.core.windows.net/appdata/app.zip?" + query.joined(separator: separator)
            + separator + "sig=" + sasSignature(kind: "sas-url")
    }

    mutating func imdsResponse() -> String {
        pick([
            #"{"access_token":"\#(jwt(kind: "imds-jwt"))","client_id":"\#(fakeGUID())","expires_in":"86399","expires_on":"1772704800","resource":"https://storage.azure.com/","token_type":"Bearer"}"#,
            #"{"token_type": "Bearer", "access_token": "\#(opaque(kind: "opaque-access-token"))", "refresh_token": "\#(opaque(kind: "refresh-token"))", "id_token": "\#(jwt(kind: "id-token"))"}"#,
        ])
    }

    /// A secret in text notation: a log line's words, a header, a URL, a connection string, a form body.
    mutating func textSecret() -> String {
        switch random.next() % 14 {
        case 0: return "token response " + imdsResponse()
        case 1: return "Authorization: Bearer " + pick([jwt(kind: "bearer-jwt"), opaque(kind: "bearer-opaque")])
        case 2: return "authorization: SharedKey stfake:" + sharedKeySignature()
        case 3: return "Cookie: ARRAffinity=\(opaque(kind: "cookie")); .AspNetCore.Cookies=\(opaque(kind: "cookie"))"
        case 4: return "Set-Cookie: session=\(opaque(kind: "set-cookie")); path=/; secure; HttpOnly"
        case 5: return "GET " + sasURL()
        case 6: return "copy source " + sasURL(separator: "\\u0026")
        case 7: return "https://fake.example/copy?source=" + sasURL().addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        case 8: return "storage key " + accountKey(kind: "account-key")
        case 9: return "DefaultEndpointsProtocol=https;AccountName=stfake;AccountKey=\(accountKey(kind: "connection-string-key"));EndpointSuffix=core.windows.net"
        case 10: return "Endpoint=sb://fake.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=\(opaque(kind: "shared-access-key"))="
        case 11: return "BlobEndpoint=https://stfake.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=b&sp=rl&sig=\(sasSignature(kind: "connection-string-sas"))"
        case 12: return "client_id=\(fakeGUID())&client_secret=\(clientSecret(kind: "form-client-secret"))&grant_type=client_credentials"
        default: return "new secret " + clientSecret(kind: "bare-client-secret") + " created"
        }
    }

    mutating func sharedKeySignature() -> String {
        let signature = characters(43, from: Self.base64Alphabet) + "="
        remember("shared-key-signature", signature)
        return signature
    }

    /// Secrets as JSON members to put at the start of an object (`"name": value, `): token responses,
    /// header dictionaries, HAR requests and responses, keys, connection strings, client secrets.
    mutating func jsonMembers() -> String {
        switch random.next() % 8 {
        case 0: return #""tokenResponse": \#(imdsResponse()), "#
        case 1: return #""headers": {"Authorization": "Bearer \#(jwt(kind: "header-jwt"))", "Cookie": "ARRAffinity=\#(opaque(kind: "header-cookie"))", "x-ms-version": "2023-11-03"}, "#
        case 2:
            return #""request": {"method": "GET", "url": "\#(sasURL(separator: "\\u0026"))", "headers": [{"name": "authorization", "value": "Bearer \#(opaque(kind: "har-bearer"))"}, {"name": "Cookie", "value": "x=\#(opaque(kind: "har-cookie-header"))"}], "cookies": [{"name": "ARRAffinity", "value": "\#(opaque(kind: "har-cookie"))", "httpOnly": true}]}, "#
        case 3:
            return #""response": {"status": 200, "headers": [{"name": "set-cookie", "value": "session=\#(opaque(kind: "har-set-cookie")); path=/"}], "content": {"mimeType": "application/json", "text": "{\"access_token\":\"\#(jwt(kind: "har-content-jwt"))\",\"refresh_token\":\"\#(opaque(kind: "har-content-refresh"))\"}"}}, "#
        case 4: return #""keys": [{"keyName": "key1", "permissions": "FULL", "value": "\#(accountKey(kind: "keys-list"))"}], "#
        case 5: return #""connectionString": "DefaultEndpointsProtocol=https;AccountName=stfake;AccountKey=\#(accountKey(kind: "json-connection-string"));EndpointSuffix=core.windows.net", "#
        case 6: return #""clientSecret": "\#(clientSecret(kind: "json-client-secret"))", "password": "\#(opaque(kind: "json-password"))", "#
        default: return #""primary": "\#(accountKey(kind: "batch-primary-key"))", "secondary": "\#(accountKey(kind: "batch-secondary-key"))", "#
        }
    }
}
