import {registry} from "@web/core/registry";

// Her coach drafts her plan: a goal with one step for her.
registry.category("web_tour.tours").add("integration_plan_draft_tour", {
    steps: () => [
        {
            content: "The coach starts a new plan: for whom",
            trigger: ".o_form_view .o_field_widget[name=participant_id] input",
            run: "edit Hawa Eins",
        },
        {
            content: "Her participant",
            trigger: ".o-autocomplete--dropdown-item a:contains('Hawa Eins')",
            run: "click",
        },
        {
            content: "Add a goal",
            trigger:
                ".o_form_view .o_field_widget[name=goal_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Name the goal",
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit German B1",
        },
        {
            content: "Add a step",
            trigger:
                ".modal .o_field_widget[name=step_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Name the step (hers by default)",
            trigger:
                ".modal .o_field_widget[name=step_ids] .o_data_row [name=name] input",
            run: "edit Enrol in the B1 course",
        },
        {
            content: "Keep the goal",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The goal is listed",
            trigger:
                ".o_form_view:not(:has(.modal)) .o_field_widget[name=goal_ids] .o_data_row:contains('German B1')",
        },
        {
            content: "Save the draft",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved, still a draft: she signs it on her portal",
            trigger:
                ".o_form_view .o_form_saved .o_statusbar_status button.o_arrow_button_current:contains('Draft')",
        },
    ],
});

// She reads and signs her plan on her phone.
registry.category("web_tour.tours").add("integration_participant_sign_tour", {
    steps: () => [
        {
            content: "Her home shows her plan, to sign",
            trigger: "#integration_portal_plan a.o_integration_portal_plan_open",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Her goal and her step",
            trigger:
                ".o_integration_portal_goal:contains('German B1'):contains('Enrol in the B1 course')",
        },
        {
            content: "Her name is filled in",
            trigger: ".o_integration_plan_sign .o_web_sign_name_and_signature input",
        },
        {
            content: "Her signature is drawn from her name",
            trigger: ".o_integration_plan_sign canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            content: "Sign",
            trigger: ".o_integration_plan_sign .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Signed and agreed",
            trigger: ".o_integration_plan_signed",
        },
        {
            content: "Her signature is shown with the plan",
            trigger: ".o_integration_plan_signature img",
        },
    ],
});

// She uploads a document the programme asked for.
registry.category("web_tour.tours").add("integration_participant_upload_tour", {
    steps: () => [
        {
            content: "Open her document list",
            trigger: "a.o_integration_portal_documents_open",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Choose the scan of her residence permit",
            trigger:
                ".o_integration_portal_document:contains('Residence permit') input[type=file]",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File(["%PDF-1.4 residence permit"], "permit.pdf", {
                        type: "application/pdf",
                    })
                );
                this.anchor.files = transfer.files;
            },
        },
        {
            content: "Upload it",
            trigger:
                ".o_integration_portal_document:contains('Residence permit') button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Received",
            trigger:
                ".o_integration_document_uploaded ~ .o_integration_portal_document:contains('Residence permit') .badge:contains('Received')",
        },
    ],
});
