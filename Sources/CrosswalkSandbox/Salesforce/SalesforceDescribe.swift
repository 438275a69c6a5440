import Foundation

/// Describe results: global (`sobjects/`) and per object (`sobjects/{type}/describe`).
enum SalesforceDescribe {
    /// When the emulated schema last changed (`If-Modified-Since` at or after it gets 304).
    static let schemaDate = Date(timeIntervalSince1970: 1_704_067_200) // 2024-01-01T00:00:00Z

    static func urls(_ object: SalesforceObject, version: String) -> [String: String] {
        let base = "/services/data/\(version)/sobjects/\(object.name)"
        return ["sobject": base, "describe": "\(base)/describe", "rowTemplate": "\(base)/{ID}",
                "defaultValues": "\(base)/defaultValues?recordTypeId&fields"]
    }

    static func globalEntry(_ object: SalesforceObject, version: String) -> [String: Any] {
        [
            "activateable": false, "createable": object.createable, "custom": false, "customSetting": false,
            "deepCloneable": false, "deletable": object.createable, "deprecatedAndHidden": false, "feedEnabled": true,
            "hasSubtypes": false, "isInterface": false, "isSubtype": false, "keyPrefix": object.keyPrefix,
            "label": object.label, "labelPlural": object.labelPlural, "layoutable": true, "mergeable": object.createable,
            "mruEnabled": true, "name": object.name, "queryable": true, "replicateable": true, "retrieveable": true,
            "searchable": true, "triggerable": true, "undeletable": object.createable, "updateable": object.createable,
            "urls": urls(object, version: version),
        ]
    }

    static func global(version: String) -> [String: Any] {
        ["encoding": "UTF-8", "maxBatchSize": 200,
         "sobjects": SalesforceCatalog.names.compactMap(SalesforceCatalog.object).map { globalEntry($0, version: version) }]
    }

    static func object(_ object: SalesforceObject, version: String) -> [String: Any] {
        var describe = globalEntry(object, version: version)
        describe["fields"] = object.fields.map(field)
        describe["childRelationships"] = object.children.map { child in
            ["cascadeDelete": child.cascadeDelete, "childSObject": child.childObject, "deprecatedAndHidden": false, "field": child.field,
             "junctionIdListNames": [String](), "junctionReferenceTo": [String](), "relationshipName": child.name,
             "restrictedDelete": false] as [String: Any]
        }
        describe["recordTypeInfos"] = [[
            "active": true, "available": true, "defaultRecordTypeMapping": true, "developerName": "Master", "master": true,
            "name": "Master", "recordTypeId": "012000000000000AAA",
            "urls": ["layout": "/services/data/\(version)/sobjects/\(object.name)/describe/layouts/012000000000000AAA"],
        ] as [String: Any]]
        describe["compactLayoutable"] = true
        describe["searchLayoutable"] = true
        describe["sobjectDescribeOption"] = "FULL"
        describe["networkScopeFieldName"] = NSNull()
        return describe
    }

    static func field(_ f: SalesforceField) -> [String: Any] {
        let textual = f.type.isText || f.type.isID
        let defaultValue: Any = f.type == .boolean ? (f.defaultValue == "true") as Any
            : (f.type == .picklist || f.type == .combobox) && f.defaultValue != nil && f.defaultValue != SalesforceField.currentUserDefault
            ? f.defaultValue! as Any : NSNull()
        return [
            "aggregatable": f.aggregatable, "aiPredictionField": false, "autoNumber": false,
            "byteLength": textual ? f.length * 3 : 0,
            "calculated": f.calculated, "calculatedFormula": NSNull(), "cascadeDelete": false, "caseSensitive": false,
            "compoundFieldName": f.compoundFieldName as Any? ?? NSNull(),
            "controllerName": NSNull(), "createable": f.createable, "custom": f.custom, "defaultValue": defaultValue,
            "defaultValueFormula": NSNull(), "defaultedOnCreate": f.defaultedOnCreate, "dependentPicklist": false,
            "deprecatedAndHidden": false, "digits": f.type == .int ? f.digits : 0, "displayLocationInDecimal": false,
            "encrypted": false, "externalId": f.externalId, "extraTypeInfo": f.extraTypeInfo as Any? ?? NSNull(),
            "filterable": f.filterable, "filteredLookupInfo": NSNull(), "formulaTreatNullNumberAsZero": false,
            "groupable": f.groupable, "highScaleNumber": false, "htmlFormatted": false, "idLookup": f.idLookup,
            "inlineHelpText": NSNull(), "label": f.label, "length": textual ? f.length : 0, "mask": NSNull(), "maskType": NSNull(),
            "name": f.name, "nameField": f.nameField, "namePointing": f.referenceTo.count > 1, "nillable": f.nillable,
            "permissionable": !f.isSystem && f.nillable && !f.required && f.type != .address,
            "picklistValues": f.picklist.map { value in
                ["active": true, "defaultValue": value == f.defaultValue, "label": value,
                 "validFor": NSNull(), "value": value] as [String: Any]
            },
            "polymorphicForeignKey": f.referenceTo.count > 1,
            "precision": f.type == .currency || f.type == .double || f.type == .percent ? f.precision : 0,
            "queryByDistance": f.type == .address, "referenceTargetField": NSNull(), "referenceTo": f.referenceTo,
            "relationshipName": f.relationshipName as Any? ?? NSNull(), "relationshipOrder": NSNull(),
            "restrictedDelete": false, "restrictedPicklist": f.restrictedPicklist,
            "scale": f.type == .currency || f.type == .double || f.type == .percent ? f.scale : 0,
            "searchPrefilterable": f.type == .reference, "soapType": f.type.soapType, "sortable": f.sortable,
            "type": f.type.rawValue, "unique": f.unique, "updateable": f.updateable, "writeRequiresMasterRead": false,
        ]
    }
}
