import CrosswalkCore
import Foundation

/// The HubSpot-defined properties and groups each object type starts with, in the numbers a real portal has
/// (about 200 for contacts, 150 for companies, 100 for deals), with HubSpot's names, types, groups and options.
///
/// Each entry is `code name[:Label]`: the code gives type and field type (`s` string/text, `t` string/textarea,
/// `n` number, `d` datetime, `D` date, `e` enumeration/select, `r` enumeration/radio, `c` enumeration/checkbox,
/// `b` bool/booleancheckbox, `p` phone number), a `!` after it marks a value HubSpot calculates (read-only).
/// Labels default to the name in words. Options come from `options`.
enum HubSpotPropertyCatalog {
    static func groups(for type: HubSpotObjectType) -> [HubSpotPropertyGroup] {
        let names = Set(entries(for: type).map(\.group))
        return names.sorted().enumerated().map { index, name in
            HubSpotPropertyGroup(name: name, label: groupLabels[name] ?? words(name), displayOrder: name.hasSuffix("information") ? 0 : index + 1)
        }
    }

    /// The built-in properties of `type`, created at `date`.
    static func properties(for type: HubSpotObjectType, at date: Date) -> [HubSpotProperty] {
        entries(for: type).enumerated().map { index, entry in
            let (kind, field) = kinds[entry.code] ?? ("string", "text")
            let values = options[entry.name] ?? (kind == "bool" ? ["true", "false"] : [])
            return HubSpotProperty(
                name: entry.name, label: entry.label, type: kind, fieldType: field, groupName: entry.group,
                options: values.enumerated().map { HubSpotPropertyOption(label: optionLabel($1), value: $1, displayOrder: $0, hidden: false, description: "") },
                displayOrder: index, formField: !entry.readOnly && kind != "datetime", calculated: entry.readOnly && entry.name.hasPrefix("hs_"),
                readOnlyValue: entry.readOnly, createdAt: date, updatedAt: date)
        }
    }

    private struct Entry {
        var code: Character
        var readOnly: Bool
        var name: String
        var label: String
        var group: String
    }

    private static let kinds: [Character: (String, String)] = [
        "s": ("string", "text"), "t": ("string", "textarea"), "n": ("number", "number"), "d": ("datetime", "date"),
        "D": ("date", "date"), "e": ("enumeration", "select"), "r": ("enumeration", "radio"), "c": ("enumeration", "checkbox"),
        "b": ("bool", "booleancheckbox"), "p": ("string", "phonenumber"),
    ]

    private static func entries(for type: HubSpotObjectType) -> [Entry] {
        let own: [String: [String]]
        switch type {
        case .contacts: own = contacts
        case .companies: own = companies
        case .deals: own = deals
        case .invoices: own = invoices
        case .tickets: own = tickets
        case .products: own = products
        case .lineItems: own = lineItems
        case .quotes: own = quotes
        case .leads, .feedbackSubmissions, .goalTargets: own = ["\(type.singular)information": ["s hs_name:Name", "t hs_description:Description"]]
        default: own = engagement(type)
        }
        let info = "\(type.singular)information"
        var shared = ["n! hs_object_id:Record ID", "d! hs_lastmodifieddate:Last Modified Date", "d! hs_createdate:Object create date/time",
                      "s! hs_object_source:Record source", "s! hs_object_source_id:Record source ID", "s! hs_object_source_label:Record source detail 1",
                      "n! hs_object_source_user_id:Record creator user ID", "c! hs_all_owner_ids:All owner IDs", "c! hs_all_team_ids:All team IDs",
                      "c! hs_all_accessible_team_ids:All teams", "n! hs_created_by_user_id:Created by user ID", "n! hs_updated_by_user_id:Updated by user ID",
                      "s! hs_merged_object_ids:Merged record IDs", "b! hs_was_imported:Imported", "n! hs_pipeline_stage_order:Stage order"]
        if type == .contacts { shared.removeAll { $0.hasSuffix("Stage order") || $0.contains("hs_createdate") } }
        if [.companies, .deals, .invoices].contains(type) { shared.removeAll { $0.hasSuffix("Stage order") } }
        if type == .companies || type == .deals { shared.removeAll { $0.contains("hs_createdate") } }
        var seen: Set<String> = []
        var list: [Entry] = []
        for (group, specs) in [(info, shared)] + own.sorted(by: { $0.key < $1.key }) {
            for spec in specs {
                let parts = spec.split(separator: " ", maxSplits: 1)
                let code = parts[0].first ?? "s"
                let nameLabel = parts[1].split(separator: ":", maxSplits: 1).map(String.init)
                guard seen.insert(nameLabel[0]).inserted else { continue }
                list.append(Entry(code: code, readOnly: parts[0].hasSuffix("!"), name: nameLabel[0],
                                  label: nameLabel.count > 1 ? nameLabel[1] : words(nameLabel[0]), group: group))
            }
        }
        return list
    }

    /// `hs_analytics_num_visits` → "Analytics num visits".
    private static func words(_ name: String) -> String {
        let bare = name.hasPrefix("hs_") ? String(name.dropFirst(3)) : name
        let text = bare.replacingOccurrences(of: "_", with: " ")
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    private static func optionLabel(_ value: String) -> String {
        value.replacingOccurrences(of: "_", with: " ").lowercased().capitalized
    }

    private static let groupLabels = [
        "contactinformation": "Contact information", "companyinformation": "Company information", "dealinformation": "Deal information",
        "emailinformation": "Email information", "analyticsinformation": "Web analytics history", "conversioninformation": "Conversion information",
        "contact_activity": "Contact activity", "socialmediainformation": "Social media information", "sales_properties": "Sales properties",
        "deal_activity": "Deal activity", "company_activity": "Company activity", "target_account_information": "Target account information",
    ]

    static let industries = ["ACCOUNTING", "AIRLINES_AVIATION", "APPAREL_FASHION", "AUTOMOTIVE", "BANKING", "BIOTECHNOLOGY", "COMPUTER_SOFTWARE",
                             "CONSTRUCTION", "CONSUMER_GOODS", "EDUCATION_MANAGEMENT", "FINANCIAL_SERVICES", "FOOD_BEVERAGES",
                             "HOSPITAL_HEALTH_CARE", "INFORMATION_TECHNOLOGY_AND_SERVICES", "INSURANCE", "INTERNET", "LOGISTICS_AND_SUPPLY_CHAIN",
                             "MACHINERY", "MARKETING_AND_ADVERTISING", "MEDIA_PRODUCTION", "OIL_ENERGY", "PHARMACEUTICALS", "REAL_ESTATE",
                             "RETAIL", "TELECOMMUNICATIONS", "UTILITIES"]

    private static let lifecycle = ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other"]
    private static let sources = ["ORGANIC_SEARCH", "PAID_SEARCH", "EMAIL_MARKETING", "SOCIAL_MEDIA", "REFERRALS", "OTHER_CAMPAIGNS",
                                  "DIRECT_TRAFFIC", "OFFLINE", "PAID_SOCIAL", "AI_REFERRALS"]

    private static let options: [String: [String]] = [
        "lifecyclestage": lifecycle,
        "hs_lead_status": ["NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING"],
        "hs_analytics_source": sources, "hs_latest_source": sources, "hs_analytics_latest_source": sources,
        "industry": industries,
        "type": ["PROSPECT", "PARTNER", "RESELLER", "VENDOR", "OTHER"],
        "hs_language": ["en", "fr", "de", "es", "it", "nl", "pt", "ja", "zh-cn"],
        "dealstage": ["appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent", "closedwon", "closedlost"],
        "pipeline": ["default"], "hs_pipeline": ["0"], "hs_pipeline_stage": ["1", "2", "3", "4"],
        "dealtype": ["newbusiness", "existingbusiness"],
        "hs_priority": ["low", "medium", "high"], "hs_ticket_priority": ["LOW", "MEDIUM", "HIGH", "URGENT"],
        "hs_ticket_category": ["PRODUCT_ISSUE", "BILLING_ISSUE", "FEATURE_REQUEST", "GENERAL_INQUIRY"],
        "hs_currency": ["USD", "EUR", "GBP", "CAD"], "deal_currency_code": ["USD", "EUR", "GBP", "CAD"],
        "hs_invoice_status": ["draft", "open", "paid", "voided"],
        "hs_marketable_status": ["true", "false"], "hs_email_optout": ["true", "false"],
        "hs_buying_role": ["BUDGET_HOLDER", "CHAMPION", "DECISION_MAKER", "END_USER", "INFLUENCER", "LEGAL_AND_COMPLIANCE", "OTHER"],
        "hs_persona": ["persona_1", "persona_2", "persona_3"],
        "hs_legal_basis": ["Legitimate interest – prospect/lead", "Legitimate interest - existing customer", "Performance of a contract",
                           "Freely given consent from contact"],
        "hs_call_status": ["BUSY", "CALLING_CRM_USER", "CANCELED", "COMPLETED", "CONNECTING", "FAILED", "IN_PROGRESS", "NO_ANSWER", "QUEUED", "RINGING"],
        "hs_call_direction": ["INBOUND", "OUTBOUND"], "hs_email_direction": ["EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL"],
        "hs_email_status": ["BOUNCED", "FAILED", "SCHEDULED", "SENDING", "SENT"],
        "hs_meeting_outcome": ["SCHEDULED", "COMPLETED", "RESCHEDULED", "NO_SHOW", "CANCELED"],
        "hs_task_status": ["NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED"], "hs_task_priority": ["NONE", "LOW", "MEDIUM", "HIGH"],
        "hs_task_type": ["EMAIL", "CALL", "TODO"], "hs_status": ["DRAFT", "APPROVAL_NOT_NEEDED", "PENDING_APPROVAL", "APPROVED", "REJECTED"],
        "hs_recurring_billing_period": ["P1M", "P3M", "P6M", "P12M"], "recurringbillingfrequency": ["monthly", "quarterly", "annually"],
        "hs_product_type": ["inventory", "non_inventory", "service"],
        "hs_communication_channel_type": ["SMS", "WHATS_APP", "LINKEDIN_MESSAGE"],
        "hs_employee_range": ["1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "5001-10000", "10001+"],
        "hs_revenue_range": ["0-1M", "1M-10M", "10M-50M", "50M-100M", "100M-1B", "1B+"],
        "hs_ideal_customer_profile": ["tier_1", "tier_2", "tier_3"],
    ]

    private static let contacts: [String: [String]] = [
        "contactinformation": [
            "s email:Email", "s firstname:First Name", "s lastname:Last Name", "p phone:Phone Number", "p mobilephone:Mobile Phone Number",
            "p fax:Fax Number", "s company:Company Name", "s jobtitle:Job Title", "s website:Website URL", "s address:Street Address",
            "s city:City", "s state:State/Region", "s zip:Postal Code", "s country:Country/Region", "r lifecyclestage:Lifecycle Stage",
            "r hs_lead_status:Lead Status", "d createdate:Create Date", "d! lastmodifieddate:Last Modified Date",
            "e hubspot_owner_id:Contact owner", "d! hubspot_owner_assigneddate:Owner assigned date", "e hubspot_team_id:HubSpot Team",
            "e hs_language:Preferred language", "s salutation:Salutation", "s job_function:Job function", "s seniority:Seniority",
            "s industry:Industry", "n annualrevenue:Annual Revenue", "s numemployees:Number of Employees", "t message:Message",
            "s twitterhandle:Twitter Username", "s hs_timezone:Time Zone", "e hs_persona:Persona", "c hs_buying_role:Buying Role",
            "s date_of_birth:Date of birth", "s degree:Degree", "s field_of_study:Field of study", "s gender:Gender", "s graduation_date:Graduation date",
            "s marital_status:Marital Status", "s military_status:Military status", "s relationship_status:Relationship Status",
            "s school:School", "s start_date:Start date", "s work_email:Work email", "s hs_additional_emails:Additional email addresses",
            "s! hs_email_domain:Email Domain", "s hs_whatsapp_phone_number:WhatsApp Phone Number", "s hs_linkedin_url:LinkedIn URL",
            "s! hs_full_name_or_email:Full name or email", "s! hs_searchable_calculated_phone_number:Phone number (calculated)",
            "s! hs_searchable_calculated_mobile_number:Mobile phone number (calculated)", "s hs_country_region_code:Country/Region Code",
            "s hs_state_code:State/Region Code", "r hs_marketable_status:Marketing contact status", "e hs_legal_basis:Legal basis for processing contact's data",
            "d! hs_lifecyclestage_lead_date:Became a Lead Date", "d! hs_lifecyclestage_customer_date:Became a Customer Date",
            "d! hs_lifecyclestage_subscriber_date:Became a Subscriber Date", "d! hs_lifecyclestage_opportunity_date:Became an Opportunity Date",
            "d! hs_lifecyclestage_marketingqualifiedlead_date:Became a Marketing Qualified Lead Date",
            "d! hs_lifecyclestage_salesqualifiedlead_date:Became a Sales Qualified Lead Date", "d! hs_lifecyclestage_evangelist_date:Became an Evangelist Date",
            "d! hs_lifecyclestage_other_date:Became an Other Lifecycle Date", "n! associatedcompanyid:Primary Associated Company ID",
            "n! num_associated_deals:Number of Associated Deals", "d! recent_deal_close_date:Recent Deal Close Date",
            "n! recent_deal_amount:Recent Deal Amount", "n! total_revenue:Total Revenue", "d! first_deal_created_date:First Deal Created Date",
            "d! closedate:Close Date", "s hs_content_membership_status:Status", "s! hs_user_ids_of_all_owners:User IDs of all owners",
            "s ip_city:IP City", "s ip_country:IP Country", "s ip_country_code:IP Country Code", "s ip_state:IP State/Region",
            "s ip_state_code:IP State Code", "s ip_zipcode:IP Zipcode", "n! hs_predictivecontactscore_v2:Likelihood to close",
            "n! hs_predictivescoringtier:Contact priority", "n hubspotscore:HubSpot Score", "b hs_is_unworked:Contact unworked",
            "b! hs_is_contact:Is a contact", "n! hs_time_to_first_engagement:Time to first engagement",
            "b hs_email_optout:Unsubscribed from all email", "s hs_facebookid:Facebook ID", "s hs_googleplusid:googleplus ID", "s hs_linkedinid:Linkedin ID",
            "s hs_twitterid:Twitter ID", "s hs_object_source_detail_2:Record source detail 2", "s hs_object_source_detail_3:Record source detail 3",
        ],
        "emailinformation": [
            "d! hs_email_first_send_date:First marketing email send date", "d! hs_email_last_send_date:Last marketing email send date",
            "d! hs_email_first_open_date:First marketing email open date", "d! hs_email_last_open_date:Last marketing email open date",
            "d! hs_email_first_click_date:First marketing email click date", "d! hs_email_last_click_date:Last marketing email click date",
            "n! hs_email_delivered:Marketing emails delivered", "n! hs_email_open:Marketing emails opened", "n! hs_email_click:Marketing emails clicked",
            "n! hs_email_bounce:Marketing emails bounced", "b! hs_email_hard_bounce_reason_enum:Email hard bounce reason",
            "b! hs_email_quarantined:Email address quarantined", "s! hs_email_last_email_name:Last marketing email name",
            "d! hs_email_first_reply_date:First marketing email reply date", "d! hs_email_last_reply_date:Last marketing email reply date",
            "n! hs_email_replied:Marketing emails replied", "b! hs_email_bad_address:Invalid email address",
            "b! hs_email_is_ineligible:Is globally ineligible", "d! hs_email_optout_date:Unsubscribed date",
            "d! hs_sales_email_last_replied:Recent Sales Email Replied Date", "d! hs_sales_email_last_opened:Last sales email opened date",
            "d! hs_sales_email_last_clicked:Recent sales email clicked date", "s! hs_email_sends_since_last_engagement:Sends since last engagement",
            "b! hs_email_customer_quarantined_reason:Email address quarantine reason",
        ],
        "analyticsinformation": [
            "r! hs_analytics_source:Original Traffic Source", "s! hs_analytics_source_data_1:Original Traffic Source Drill-Down 1",
            "s! hs_analytics_source_data_2:Original Traffic Source Drill-Down 2", "r! hs_latest_source:Latest Traffic Source",
            "s! hs_latest_source_data_1:Latest Traffic Source Drill-Down 1", "s! hs_latest_source_data_2:Latest Traffic Source Drill-Down 2",
            "d! hs_latest_source_timestamp:Latest Traffic Source Date", "n! hs_analytics_num_visits:Number of Sessions",
            "n! hs_analytics_num_page_views:Number of Pageviews", "n! hs_analytics_num_event_completions:Number of event completions",
            "n! hs_analytics_average_page_views:Average Pageviews", "d! hs_analytics_first_timestamp:Time First Seen",
            "d! hs_analytics_last_timestamp:Time Last Seen", "d! hs_analytics_first_visit_timestamp:Time of First Session",
            "d! hs_analytics_last_visit_timestamp:Time of Last Session", "s! hs_analytics_first_url:First Page Seen",
            "s! hs_analytics_last_url:Last Page Seen", "s! hs_analytics_first_referrer:First Referring Site",
            "s! hs_analytics_last_referrer:Last Referring Site", "s! hs_analytics_first_touch_converting_campaign:First Touch Converting Campaign",
            "s! hs_analytics_last_touch_converting_campaign:Last Touch Converting Campaign", "n! hs_analytics_revenue:Event Revenue",
            "d! hs_first_engagement_object_id:First engagement", "s! hs_analytics_source_data_1_label:Original source drill-down 1 label",
        ],
        "conversioninformation": [
            "n! num_conversion_events:Number of Form Submissions", "n! num_unique_conversion_events:Number of Unique Forms Submitted",
            "d! first_conversion_date:First Conversion Date", "s! first_conversion_event_name:First Conversion",
            "d! recent_conversion_date:Recent Conversion Date", "s! recent_conversion_event_name:Recent Conversion",
            "s! hs_calculated_form_submissions:Form submissions", "s hs_google_click_id:Google ad click id", "s hs_facebook_click_id:Facebook click id",
            "d! hs_first_outreach_date:First outreach date", "s! hs_first_conversion_form_id:First form submitted id",
        ],
        "contact_activity": [
            "d! notes_last_contacted:Last Contacted", "d! notes_last_updated:Last Activity Date", "d! notes_next_activity_date:Next Activity Date",
            "n! num_contacted_notes:Number of times contacted", "n! num_notes:Number of Sales Activities", "d! hs_last_sales_activity_timestamp:Last Engagement Date",
            "d! hs_last_sales_activity_date:Last sales activity date", "s! hs_last_sales_activity_type:Last engagement type",
            "d! hs_latest_meeting_activity:Latest meeting activity", "d! hs_sales_email_last_clicked_date:Last sales email clicked",
            "d! engagements_last_meeting_booked:Date of last meeting booked in meetings tool",
            "s! engagements_last_meeting_booked_campaign:Campaign of last booking in meetings tool",
            "s! engagements_last_meeting_booked_medium:Medium of last booking in meetings tool",
            "s! engagements_last_meeting_booked_source:Source of last booking in meetings tool", "d! hs_latest_sequence_enrolled_date:Last sequence enrolled date",
            "b! hs_sequences_is_enrolled:Currently in Sequence", "n! hs_sequences_enrolled_count:Number of sequences enrolled",
            "n! hs_sequences_actively_enrolled_count:Number of active sequences", "d! hs_last_booked_meeting_date:Last booked meeting date",
            "d! hs_last_logged_call_date:Last logged call date", "d! hs_last_open_task_date:Last open task date",
            "d! hs_first_closed_order_id:First closed order", "d! hs_last_logged_outgoing_email_date:Last logged outgoing email date",
            "n! hs_count_is_unworked:Count of unworked contacts", "n! hs_count_is_worked:Count of worked contacts",
            "d! hs_date_entered_lead:Date entered Lead", "d! hs_date_exited_lead:Date exited Lead",
            "d! hs_date_entered_customer:Date entered Customer", "d! hs_date_exited_customer:Date exited Customer",
            "d! hs_date_entered_subscriber:Date entered Subscriber", "d! hs_date_exited_subscriber:Date exited Subscriber",
            "d! hs_date_entered_opportunity:Date entered Opportunity", "d! hs_date_exited_opportunity:Date exited Opportunity",
            "n! hs_time_in_lead:Time in Lead", "n! hs_time_in_customer:Time in Customer", "n! hs_time_in_subscriber:Time in Subscriber",
            "n! hs_time_in_opportunity:Time in Opportunity", "d! hs_last_metered_enrichment_timestamp:Last metered enrichment",
            "s! hs_latest_disqualified_lead_date:Latest disqualified lead date", "s! hs_latest_open_lead_date:Latest open lead date",
            "s! hs_latest_qualified_lead_date:Latest qualified lead date", "n! hs_associated_target_accounts:Associated target accounts",
            "d! hs_last_sms_send_date:Last SMS send date", "n! hs_v2_cumulative_time_in_lead:Cumulative time in Lead",
        ],
        "socialmediainformation": [
            "s! twitterprofilephoto:Twitter Profile Photo", "n! followercount:Follower Count", "s linkedinbio:LinkedIn Bio",
            "n! linkedinconnections:LinkedIn Connections", "s! kloutscoregeneral:Klout Score", "s! twitterbio:Twitter Bio",
            "s hs_avatar_filemanager_key:Avatar FileManager key", "s! hs_social_last_engagement:Most Recent Social Click",
            "n! hs_social_num_broadcast_clicks:Broadcast Clicks", "n! hs_social_twitter_clicks:Twitter Clicks",
            "n! hs_social_linkedin_clicks:LinkedIn Clicks", "n! hs_social_facebook_clicks:Facebook Clicks",
        ],
    ]

    private static let companies: [String: [String]] = [
        "companyinformation": [
            "s name:Company name", "s domain:Company Domain Name", "s website:Website URL", "p phone:Phone Number", "e industry:Industry",
            "s address:Street Address", "s address2:Street Address 2", "s city:City", "s state:State/Region", "s zip:Postal Code",
            "s country:Country/Region", "n numberofemployees:Number of Employees", "n annualrevenue:Annual Revenue",
            "t description:Description", "r lifecyclestage:Lifecycle Stage", "d createdate:Create Date", "e hubspot_owner_id:Company owner",
            "e type:Type", "r hs_lead_status:Lead Status", "s timezone:Time Zone", "s founded_year:Year Founded", "b is_public:Is Public",
            "s about_us:About Us", "s facebook_company_page:Facebook Company Page", "s linkedin_company_page:LinkedIn Company Page",
            "s twitterhandle:Twitter Handle", "s googleplus_page:Google Plus Page", "s linkedinbio:LinkedIn Bio",
            "n total_money_raised:Total Money Raised", "s web_technologies:Web Technologies", "s hs_additional_domains:Additional Domains",
            "s hs_country_code:Country/Region Code", "s hs_state_code:State/Region Code", "e hs_employee_range:Employee range",
            "e hs_revenue_range:Revenue range", "e hs_ideal_customer_profile:Ideal Customer Profile Tier", "b hs_is_target_account:Target Account",
            "n! hs_parent_company_id:Parent Company", "n! hs_num_child_companies:Number of child companies",
            "d! hubspot_owner_assigneddate:Owner Assigned Date", "e hubspot_team_id:HubSpot Team", "e hs_industry_group:Industry group",
            "s hs_logo_url:Logo URL", "s! hs_user_ids_of_all_owners:User IDs of all owners", "n! hs_predictivecontactscore_v2:Likelihood to close",
            "n hubspotscore:HubSpot Score", "s hs_keywords:Keywords", "s hs_linkedin_handle:LinkedIn handle", "s hs_avatar_filemanager_key:Avatar key",
            "s hs_analytics_source_data_1_label:Original source drill-down 1 label", "s hs_pinned_engagement_id:Pinned Engagement ID",
            "s hs_object_source_detail_2:Record source detail 2", "s hs_object_source_detail_3:Record source detail 3",
            "b hs_is_enriched:Enriched", "d! hs_last_metered_enrichment_timestamp:Last metered enrichment",
        ],
        "company_activity": [
            "d! notes_last_contacted:Last Contacted", "d! notes_last_updated:Last Activity Date", "d! notes_next_activity_date:Next Activity Date",
            "n! num_contacted_notes:Number of times contacted", "n! num_notes:Number of Sales Activities",
            "d! hs_last_sales_activity_timestamp:Last Engagement Date", "s! hs_last_sales_activity_type:Last engagement type",
            "d! hs_last_booked_meeting_date:Last booked meeting date", "d! hs_last_logged_call_date:Last logged call date",
            "d! hs_last_open_task_date:Last open task date", "d! engagements_last_meeting_booked:Date of last meeting booked",
            "s! engagements_last_meeting_booked_campaign:Campaign of last booking", "s! engagements_last_meeting_booked_medium:Medium of last booking",
            "s! engagements_last_meeting_booked_source:Source of last booking", "d! hs_latest_meeting_activity:Latest meeting activity",
            "d! hs_date_entered_lead:Date entered Lead", "d! hs_date_exited_lead:Date exited Lead", "d! hs_date_entered_customer:Date entered Customer",
            "d! hs_date_exited_customer:Date exited Customer", "d! hs_date_entered_opportunity:Date entered Opportunity",
            "d! hs_date_exited_opportunity:Date exited Opportunity", "n! hs_time_in_lead:Time in Lead", "n! hs_time_in_customer:Time in Customer",
            "n! hs_time_in_opportunity:Time in Opportunity", "d! hs_lifecyclestage_lead_date:Became a Lead Date",
            "d! hs_lifecyclestage_customer_date:Became a Customer Date", "d! hs_lifecyclestage_opportunity_date:Became an Opportunity Date",
            "d! hs_lifecyclestage_subscriber_date:Became a Subscriber Date", "d! hs_lifecyclestage_evangelist_date:Became an Evangelist Date",
            "d! hs_lifecyclestage_other_date:Became an Other Lifecycle Date", "d! hs_lifecyclestage_salesqualifiedlead_date:Became a SQL Date",
            "d! hs_lifecyclestage_marketingqualifiedlead_date:Became a MQL Date", "n! hs_num_open_deals:Number of open deals",
            "n! hs_num_decision_makers:Number of decision makers", "n! hs_num_blockers:Number of blockers",
            "n! hs_num_contacts_with_buying_roles:Number of contacts with a buying role", "b! hs_is_target_account_enrolled:Target account enrolled",
            "n! hs_target_account_probability:Target account probability", "s! hs_target_account_recommendation_state:Target account recommendation",
            "d! hs_target_account_recommendation_snooze_time:Target account recommendation snooze time",
        ],
        "sales_properties": [
            "n! num_associated_contacts:Number of Associated Contacts", "n! num_associated_deals:Number of Associated Deals",
            "d! closedate:Close Date", "d! first_contact_createdate:First Contact Create Date", "d! first_deal_created_date:First Deal Created Date",
            "d! recent_deal_close_date:Recent Deal Close Date", "n! recent_deal_amount:Recent Deal Amount", "n! total_revenue:Total Revenue",
            "n! hs_total_deal_value:Total open deal value", "n! hs_annual_revenue_currency_code:Annual revenue currency",
            "d! first_conversion_date:First Conversion Date", "s! first_conversion_event_name:First Conversion",
            "d! recent_conversion_date:Recent Conversion Date", "s! recent_conversion_event_name:Recent Conversion",
            "n! num_conversion_events:Number of Form Submissions", "d! hs_analytics_first_timestamp:Time First Seen",
            "d! hs_analytics_last_timestamp:Time Last Seen", "d! hs_analytics_first_visit_timestamp:Time of First Session",
            "d! hs_analytics_last_visit_timestamp:Time of Last Session", "n! hs_analytics_num_visits:Number of Sessions",
            "n! hs_analytics_num_page_views:Number of Pageviews", "r! hs_analytics_source:Original Traffic Source",
            "s! hs_analytics_source_data_1:Original Traffic Source Drill-Down 1", "s! hs_analytics_source_data_2:Original Traffic Source Drill-Down 2",
            "r! hs_analytics_latest_source:Latest Traffic Source", "s! hs_analytics_latest_source_data_1:Latest Source Drill-Down 1",
            "s! hs_analytics_latest_source_data_2:Latest Source Drill-Down 2", "d! hs_analytics_latest_source_timestamp:Latest Source Date",
            "s! hs_analytics_first_touch_converting_campaign:First Touch Converting Campaign",
            "s! hs_analytics_last_touch_converting_campaign:Last Touch Converting Campaign", "n! days_to_close:Days to Close",
            "n! hs_predictivecontactscorebucket:Company priority",
        ],
        "target_account_information": ["s hs_target_account:Target account", "n! hs_num_associated_target_accounts:Associated target accounts"],
    ]

    private static let deals: [String: [String]] = [
        "dealinformation": [
            "s dealname:Deal Name", "n amount:Amount", "r dealstage:Deal Stage", "e pipeline:Pipeline", "d closedate:Close Date",
            "t description:Deal Description", "d createdate:Create Date", "e hubspot_owner_id:Deal owner", "r dealtype:Deal Type",
            "e hs_priority:Priority", "n hs_deal_stage_probability:Deal probability", "n! hs_forecast_amount:Forecast amount",
            "n hs_forecast_probability:Forecast probability", "n! amount_in_home_currency:Amount in company currency", "e deal_currency_code:Currency",
            "s closed_lost_reason:Closed Lost Reason", "s closed_won_reason:Closed Won Reason", "n! hs_acv:Annual contract value",
            "n! hs_arr:Annual recurring revenue", "n! hs_mrr:Monthly recurring revenue", "n! hs_tcv:Total contract value",
            "n! hs_projected_amount:Weighted amount", "n! hs_projected_amount_in_home_currency:Weighted amount in company currency",
            "n! hs_closed_amount:Closed amount", "n! hs_closed_amount_in_home_currency:Closed amount in home currency",
            "b! hs_is_closed:Is Deal Closed?", "b! hs_is_closed_won:Is closed won", "b! hs_is_closed_lost:Is closed lost",
            "n! days_to_close:Days to close", "d! hubspot_owner_assigneddate:Owner Assigned Date", "e hubspot_team_id:HubSpot Team",
            "s hs_next_step:Next step", "n hs_manual_forecast_category:Forecast category", "s hs_deal_amount_calculation_preference:Amount calculation",
            "n! hs_exchange_rate:Exchange rate", "s! hs_user_ids_of_all_owners:User IDs of all owners", "b! hs_is_deal_split:Deal Split Added",
            "n! hs_likelihood_to_close:Likelihood to close", "s hs_campaign:HubSpot Campaign", "n! hs_num_of_associated_line_items:Number of Line Items",
            "n! num_associated_contacts:Number of Associated Contacts", "s hs_tag_ids:Deal Tags", "s hs_object_source_detail_2:Record source detail 2",
            "s hs_object_source_detail_3:Record source detail 3", "s hs_pinned_engagement_id:Pinned engagement ID", "d! hs_closed_won_date:Closed won date",
            "n! hs_closed_won_count:Closed won count", "n! hs_days_to_close_raw:Days to close (raw)", "d! hs_latest_approval_status_approval_id:Approval",
        ],
        "deal_activity": [
            "d! notes_last_contacted:Last Contacted", "d! notes_last_updated:Last Activity Date", "d! notes_next_activity_date:Next Activity Date",
            "n! num_contacted_notes:Number of times contacted", "n! num_notes:Number of Sales Activities",
            "d! hs_last_sales_activity_timestamp:Last Engagement Date", "s! hs_last_sales_activity_type:Last engagement type",
            "d! engagements_last_meeting_booked:Date of last meeting booked", "s! engagements_last_meeting_booked_campaign:Campaign of last booking",
            "s! engagements_last_meeting_booked_medium:Medium of last booking", "s! engagements_last_meeting_booked_source:Source of last booking",
            "d! hs_latest_meeting_activity:Latest meeting activity", "d! hs_date_entered_appointmentscheduled:Date entered Appointment Scheduled",
            "d! hs_date_exited_appointmentscheduled:Date exited Appointment Scheduled", "d! hs_date_entered_qualifiedtobuy:Date entered Qualified To Buy",
            "d! hs_date_exited_qualifiedtobuy:Date exited Qualified To Buy", "d! hs_date_entered_presentationscheduled:Date entered Presentation Scheduled",
            "d! hs_date_exited_presentationscheduled:Date exited Presentation Scheduled",
            "d! hs_date_entered_decisionmakerboughtin:Date entered Decision Maker Bought-In",
            "d! hs_date_exited_decisionmakerboughtin:Date exited Decision Maker Bought-In", "d! hs_date_entered_contractsent:Date entered Contract Sent",
            "d! hs_date_exited_contractsent:Date exited Contract Sent", "d! hs_date_entered_closedwon:Date entered Closed Won",
            "d! hs_date_exited_closedwon:Date exited Closed Won", "d! hs_date_entered_closedlost:Date entered Closed Lost",
            "d! hs_date_exited_closedlost:Date exited Closed Lost", "n! hs_time_in_appointmentscheduled:Time in Appointment Scheduled",
            "n! hs_time_in_qualifiedtobuy:Time in Qualified To Buy", "n! hs_time_in_presentationscheduled:Time in Presentation Scheduled",
            "n! hs_time_in_decisionmakerboughtin:Time in Decision Maker Bought-In", "n! hs_time_in_contractsent:Time in Contract Sent",
            "n! hs_time_in_closedwon:Time in Closed Won", "n! hs_time_in_closedlost:Time in Closed Lost", "d! hs_v2_date_entered_current_stage:Date entered current stage",
            "n! hs_v2_time_in_current_stage:Time in current stage", "d! hs_analytics_latest_source_timestamp:Latest Source Date",
            "r! hs_analytics_source:Original Source Type", "s! hs_analytics_source_data_1:Original Source Data 1",
            "s! hs_analytics_source_data_2:Original Source Data 2", "r! hs_analytics_latest_source:Latest Source",
        ],
    ]

    private static let invoices: [String: [String]] = [
        "invoiceinformation": [
            "e hs_currency:Currency", "e hs_invoice_status:Invoice status", "s hs_number:Number", "d hs_invoice_date:Invoice date",
            "d hs_due_date:Due date", "n hs_amount_billed:Amount billed", "n hs_balance_due:Balance due", "s hs_external_invoice_id:External invoice ID",
            "t hs_comments:Comments", "s hs_title:Title", "s hs_purchase_order_number:Purchase order number", "n! hs_subtotal:Subtotal",
            "n! hs_tax:Tax", "n! hs_discount_percentage:Discount percentage", "n! hs_amount_paid:Amount paid", "d! hs_payment_date:Payment date",
            "s hs_invoice_link:Invoice link", "e hubspot_owner_id:Invoice owner", "s hs_recipient_company_address:Recipient company address",
            "s hs_sender_company_name:Sender company name", "b hs_allow_partial_payments:Allow partial payments",
        ],
    ]

    private static let tickets: [String: [String]] = [
        "ticketinformation": [
            "s subject:Ticket name", "t content:Ticket description", "e hs_pipeline:Pipeline", "e hs_pipeline_stage:Ticket status",
            "e hs_ticket_priority:Priority", "e hs_ticket_category:Category", "e hubspot_owner_id:Ticket owner", "d createdate:Create date",
            "d closed_date:Close date", "s source_type:Source", "s hs_resolution:Resolution", "d! first_agent_reply_date:First agent reply date",
            "d! last_reply_date:Last reply date", "n! time_to_close:Time to close", "n! time_to_first_agent_reply:Time to first agent reply",
            "n! num_notes:Number of Sales Activities", "d! notes_last_updated:Last activity date", "d! notes_last_contacted:Last contacted",
        ],
    ]

    private static let products: [String: [String]] = [
        "productinformation": [
            "s name:Name", "t description:Description", "n price:Unit price", "s hs_sku:SKU", "n hs_cost_of_goods_sold:Unit cost",
            "e hs_recurring_billing_period:Term", "e recurringbillingfrequency:Billing frequency", "e hs_product_type:Product type",
            "s hs_url:URL", "s hs_images:Image URL", "n! hs_discount_percentage:Discount percentage", "d createdate:Create Date",
            "e hs_folder_id:Folder", "b hs_product_active:Active",
        ],
    ]

    private static let lineItems: [String: [String]] = [
        "line_iteminformation": [
            "s name:Name", "t description:Description", "n quantity:Quantity", "n price:Unit price", "n! amount:Net price",
            "n discount:Unit discount", "n hs_discount_percentage:Discount percentage", "s hs_product_id:Product ID", "s hs_sku:SKU",
            "e hs_recurring_billing_period:Term", "e recurringbillingfrequency:Billing frequency", "n hs_cost_of_goods_sold:Unit cost",
            "n! hs_total_discount:Total discount", "n! hs_pre_discount_amount:Pre-discount amount", "d createdate:Create Date",
            "n hs_position_on_quote:Position on quote", "n! hs_acv:Annual contract value", "n! hs_arr:Annual recurring revenue",
            "n! hs_mrr:Monthly recurring revenue", "n! hs_tcv:Total contract value", "s! hs_line_item_currency_code:Currency",
        ],
    ]

    private static let quotes: [String: [String]] = [
        "quoteinformation": [
            "s hs_title:Quote name", "d hs_expiration_date:Expiration date", "e hs_status:Approval status", "s! hs_public_url_key:Public URL key",
            "t hs_comments:Comments", "s hs_terms:Terms", "s hs_sender_firstname:Sender first name", "s hs_sender_lastname:Sender last name",
            "s hs_sender_email:Sender email", "s hs_sender_company_name:Sender company name", "e hs_currency:Currency",
            "n! hs_quote_amount:Quote amount", "s hs_language:Language", "s hs_locale:Locale", "e hubspot_owner_id:Quote owner",
        ],
    ]

    /// Calls, emails, meetings, notes, tasks, communications, postal mail: `hs_timestamp`, owner, body and the type's own fields.
    private static func engagement(_ type: HubSpotObjectType) -> [String: [String]] {
        var specs = ["d hs_timestamp:Activity date", "e hubspot_owner_id:Activity assigned to", "t! hs_body_preview:Body preview",
                     "s! hs_body_preview_html:Body preview HTML", "n! hs_engagement_source_id:Engagement source ID", "s hs_activity_type:Call and meeting type",
                     "s hs_attachment_ids:Attached file IDs", "s! hs_engagement_source:Engagement source", "s! hs_at_mentioned_owner_ids:At-mentioned owners"]
        switch type {
        case .calls:
            specs += ["t hs_call_body:Call notes", "s hs_call_title:Call title", "n hs_call_duration:Call duration", "r hs_call_status:Call status",
                      "r hs_call_direction:Call direction", "s hs_call_disposition:Call outcome", "s hs_call_from_number:From number",
                      "s hs_call_to_number:To number", "s hs_call_recording_url:Recording URL"]
        case .emails:
            specs += ["t hs_email_text:Email body", "t hs_email_html:Email HTML body", "s hs_email_subject:Email subject", "r hs_email_direction:Email direction",
                      "r hs_email_status:Email send status", "s hs_email_headers:Email headers", "s hs_email_from_email:From", "s hs_email_to_email:To"]
        case .meetings:
            specs += ["t hs_meeting_body:Meeting description", "s hs_meeting_title:Meeting name", "d hs_meeting_start_time:Start time",
                      "d hs_meeting_end_time:End time", "r hs_meeting_outcome:Meeting outcome", "s hs_meeting_location:Location",
                      "s hs_meeting_external_url:External URL", "t hs_internal_meeting_notes:Internal notes"]
        case .notes:
            specs += ["t hs_note_body:Note body"]
        case .tasks:
            specs += ["t hs_task_body:Notes", "s hs_task_subject:Task title", "r hs_task_status:Task status", "r hs_task_priority:Priority",
                      "r hs_task_type:Task type", "d hs_task_reminders:Reminder", "d! hs_task_completion_date:Completed at"]
        case .communications:
            specs += ["t hs_communication_body:Body", "r hs_communication_channel_type:Channel type", "s hs_communication_logged_from:Logged from"]
        default:
            specs += ["t hs_postal_mail_body:Body"]
        }
        return ["\(type.singular)information": specs]
    }
}
