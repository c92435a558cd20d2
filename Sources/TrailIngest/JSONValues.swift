import Foundation
import TrailModel

/// Small helpers over the values Foundation's JSON parser returns.
public enum JSONValues {
    /// A scalar JSON value as a field value; nil for objects and arrays.
    public static func fieldValue(_ value: Any) -> FieldValue? {
        switch value {
        case is NSNull: return .null
        case let text as String: return .string(text)
        case let number as NSNumber:
            // Foundation's JSON parser gives booleans the `char` type; it never makes other chars.
            if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
            if let integer = Int64(exactly: number.doubleValue), !number.stringValue.contains(".") { return .integer(integer) }
            return .number(number.doubleValue)
        default: return nil
        }
    }

    /// Follows a path of member names through nested objects.
    public static func value(_ root: Any, _ path: String...) -> Any? {
        var current: Any? = root
        for name in path { current = (current as? [String: Any])?[name] }
        return current
    }

    public static func typeName(_ value: Any) -> String {
        switch value {
        case is [String: Any]: return "an object"
        case is [Any]: return "an array"
        case is String: return "a string"
        case is NSNull: return "null"
        default: return "a number or boolean"
        }
    }
}
