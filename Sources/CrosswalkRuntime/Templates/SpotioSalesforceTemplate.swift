import Foundation

extension FlowTemplate {
    /// Seed 004: SPOTIO ↔ Salesforce, both ways. SPOTIO leads become Salesforce Leads once they
    /// reach a stage that matters (Proposal Sent or Sold: selective sync by pipeline stage, from
    /// setup on: `start: now`), custom fields mapped (Deal Value, Notes, the SPOTIO id); Salesforce
    /// edits of those leads flow back, and what Crosswalk itself wrote is never echoed. SPOTIO
    /// activities of synced leads become Salesforce Tasks (date, description, name, status; "done"
    /// completes the task); an activity of a lead not synced waits for it.
    public static let spotioSalesforce = FlowTemplate(
        name: "spotio-salesforce",
        summary: "SPOTIO ↔ Salesforce: leads past a stage to Salesforce Leads and edits back (no echo), activities to Tasks",
        connections: [.spotio, .salesforce],
        flowsYAML: """
              spotio-leads-to-salesforce:
                description: SPOTIO leads at Proposal Sent or Sold (from setup on) become Salesforce Leads; Salesforce edits flow back
                triggers: [webhook, manual]
                source: {connection: spotio, object: Lead}
                criteria: 'stageId == "14" || stageId == "15"'
                start: now
                targets:
                  - name: lead
                    connection: salesforce
                    object: Lead
                    mode: upsert
                    match_keys: [{external_id: Spotio_Id__c}, Email]
                    mapping: |
                      Company      = Company ?? name ?? "(SPOTIO lead)"
                      FirstName    = FirstName
                      LastName     = LastName ?? name ?? "(unknown)"
                      Email        = Email
                      Phone        = Phone
                      AnnualRevenue = Value
                      Description  = field_108
                      Spotio_Id__c = _id
                direction:
                  two_way:
                    conflict: last_modified_wins
                    reverse_mapping: |
                      FirstName = FirstName
                      LastName  = LastName
                      Email     = Email
                      Phone     = Phone
              spotio-activities-to-salesforce-tasks:
                description: Activities of synced SPOTIO leads become Salesforce Tasks on the Lead; done completes the task
                source: {connection: spotio, object: Activity}
                criteria: '!empty(dataObjectId) && !empty(title)'
                dependencies:
                  - {field: dataObjectId, object: Lead, target_object: Lead, required: true, when_missing: wait}
                targets:
                  - name: task
                    connection: salesforce
                    object: Task
                    mode: upsert
                    match_keys: [{external_id: Spotio_Id__c}]
                    mapping: |
                      Subject      = title
                      Description  = notes
                      ActivityDate = date(date ?? createdAt)
                      Status       = done == true ? "Completed" : "Not Started"
                      WhoId        = lookup(dataObjectId, "Lead", "Lead")
                      Spotio_Id__c = _id
            """,
        flows: ["spotio-leads-to-salesforce", "spotio-activities-to-salesforce-tasks"],
        goingForward: "selective sync from setup on: existing leads are not sent retroactively; new and changed ones are")
}
