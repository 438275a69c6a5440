/// Task and User as a current org describes them.
extension SalesforceCatalog {
    static let task = SalesforceObject(
        name: "Task", label: "Task", labelPlural: "Tasks", keyPrefix: "00T",
        fields: [idField("Activity")] + [
            .reference("WhoId", "Name ID", to: ["Contact", "Lead"], relationship: "Who"),
            .reference("WhatId", "Related To ID", to: ["Account", "Opportunity"], relationship: "What"),
            SalesforceField("Subject", "Subject", .combobox, length: 255).with {
                $0.nameField = true
                $0.picklist = ["Call", "Send Letter", "Send Quote", "Other"]
            },
            SalesforceField("ActivityDate", "Due Date Only", .date),
            .picklist("Status", "Status", taskStatuses).required(default: "Not Started"),
            .picklist("Priority", "Priority", taskPriorities).required(default: "Normal"),
            SalesforceField("IsHighPriority", "High Priority", .boolean).system().with { $0.defaultValue = "false" },
            owner(to: ["Group", "User"]),
            SalesforceField("Description", "Description", .textarea, length: 32_000),
            isDeleted,
            SalesforceField.reference("AccountId", "Account ID", to: ["Account"], relationship: "Account").readOnly(),
            SalesforceField("IsClosed", "Closed", .boolean).system().with { $0.defaultValue = "false" },
        ] + audit() + [
            SalesforceField("IsArchived", "Archived", .boolean).system().with { $0.defaultValue = "false" },
            SalesforceField("CallDurationInSeconds", "Call Duration", .int).with { $0.digits = 8 },
            .picklist("CallType", "Call Type", ["Internal", "Inbound", "Outbound"]),
            SalesforceField("CallDisposition", "Call Result", .string, length: 255),
            SalesforceField("CallObject", "Call Object Identifier", .string, length: 255),
            SalesforceField("ReminderDateTime", "Reminder Date/Time", .datetime),
            .checkbox("IsReminderSet", "Reminder Set"),
            SalesforceField.reference("RecurrenceActivityId", "Recurrence Activity ID", to: ["Task"], relationship: "RecurrenceActivity").readOnly(),
            SalesforceField("IsRecurrence", "Create Recurring Series of Tasks", .boolean).required(default: "false"),
            SalesforceField("RecurrenceStartDateOnly", "Recurrence Start", .date),
            SalesforceField("RecurrenceEndDateOnly", "Recurrence End", .date),
            .picklist("RecurrenceTimeZoneSidKey", "Recurrence Time Zone", timeZones, restricted: true),
            .picklist("RecurrenceType", "Recurrence Type", ["RecursDaily", "RecursEveryWeekday", "RecursMonthly", "RecursMonthlyNth",
                                                            "RecursWeekly", "RecursYearly", "RecursYearlyNth"], restricted: true),
            SalesforceField("RecurrenceInterval", "Recurrence Interval", .int),
            SalesforceField("RecurrenceDayOfWeekMask", "Recurrence Day of Week Mask", .int),
            SalesforceField("RecurrenceDayOfMonth", "Recurrence Day of Month", .int),
            .picklist("RecurrenceInstance", "Recurrence Instance", ["First", "Second", "Third", "Fourth", "Last"], restricted: true),
            .picklist("RecurrenceMonthOfYear", "Recurrence Month of Year",
                      ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                       "November", "December"], restricted: true),
            .picklist("RecurrenceRegeneratedType", "Repeat This Task", ["RecurrenceRegenerateAfterDueDate",
                                                                         "RecurrenceRegenerateAfterToday", "RecurrenceRegenerated"],
                      restricted: true),
            SalesforceField.picklist("TaskSubtype", "Task Subtype", taskSubtypes, restricted: true).with {
                $0.updateable = false
                $0.defaultedOnCreate = true
            },
            SalesforceField("CompletedDateTime", "Completed Date/Time", .datetime).readOnly(),
            SalesforceField("WhoCount", "Relation Count", .int).readOnly().with { $0.digits = 9 },
            SalesforceField("WhatCount", "Related To Count", .int).readOnly().with { $0.digits = 9 },
            .picklist("Type", "Type", taskTypes),
            .externalID("Spotio_Id__c", "SPOTIO ID"),
        ])

    static let user = SalesforceObject(
        name: "User", label: "User", labelPlural: "Users", keyPrefix: "005",
        fields: [idField("User")] + [
            SalesforceField("Username", "Username", .string, length: 80).required().with { $0.idLookup = true; $0.unique = true },
            SalesforceField("LastName", "Last Name", .string, length: 80).required().part(of: "Name"),
            SalesforceField("FirstName", "First Name", .string, length: 40).part(of: "Name"),
            SalesforceField("Name", "Full Name", .string, length: 121).calculatedField().with {
                $0.calculated = false
                $0.nameField = true
                $0.idLookup = true
                $0.extraTypeInfo = "personname"
                $0.nillable = false
            },
            SalesforceField("CompanyName", "Company Name", .string, length: 80),
            SalesforceField("Division", "Division", .string, length: 80),
            SalesforceField("Department", "Department", .string, length: 80),
            SalesforceField("Title", "Title", .string, length: 80),
        ] + address("", "") + [
            SalesforceField("Email", "Email", .email, length: 128).required(),
            SalesforceField("Phone", "Phone", .phone, length: 40),
            SalesforceField("MobilePhone", "Mobile", .phone, length: 40),
            SalesforceField("Alias", "Alias", .string, length: 8).required(),
            SalesforceField("CommunityNickname", "Nickname", .string, length: 40).required().with { $0.unique = true },
            SalesforceField("IsActive", "Active", .boolean).required(default: "true"),
            .picklist("TimeZoneSidKey", "Time Zone", timeZones, restricted: true).required(),
            .picklist("LocaleSidKey", "Locale", ["en_US", "en_GB", "en_CA", "fr_FR", "de_DE", "es_ES", "ja_JP"], restricted: true).required(),
            .picklist("EmailEncodingKey", "Email Encoding", ["UTF-8", "ISO-8859-1", "Shift_JIS"], restricted: true).required(),
            .reference("ProfileId", "Profile ID", to: ["Profile"], relationship: "Profile").required(),
            SalesforceField.picklist("UserType", "User Type", ["Standard", "PowerPartner", "CsnOnly", "Guest"], restricted: true).readOnly(),
            .picklist("LanguageLocaleKey", "Language", ["en_US", "fr", "de", "es", "ja"], restricted: true).required(),
            SalesforceField("EmployeeNumber", "Employee Number", .string, length: 20),
            .reference("ManagerId", "Manager ID", to: ["User"], relationship: "Manager"),
            SalesforceField("LastLoginDate", "Last Login", .datetime).readOnly(),
        ] + audit() + [
            SalesforceField("FederationIdentifier", "SAML Federation ID", .string, length: 512),
            SalesforceField("AboutMe", "About Me", .textarea, length: 1000),
        ] + lastViewed,
        createable: false)
}
