import {registry} from "@web/core/registry";

const CSV = [
    "customer_number;last_name;first_name;birthdate;email;phone;referral_date;reason;consent;consent_reference",
    "321T000001;Neu;Samira;14.02.1994;;;;Wants to train as a nurse;ja;JC-1",
    ";Hadad;Fatma;1988-05-17;;;;Care work;nein;",
].join("\r\n");
const rows = ".o_field_widget[name=line_ids] .o_data_row";

// Programme staff import a Jobcenter's file and link the woman it names
// under another spelling to her record.
registry.category("web_tour.tours").add("integration_referral_import_tour", {
    steps: () => [
        {
            content: "Choose the Jobcenter",
            trigger: ".o_field_widget[name=jobcenter_id] input",
            run: "edit Jobcenter Tour",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item:contains('Jobcenter Tour')",
            run: "click",
        },
        {
            content: "Upload the file",
            trigger: ".o_field_widget[name=file] input[type=file]:not(:visible)",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File([CSV], "referrals.csv", {type: "text/csv"})
                );
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", {bubbles: true}));
            },
        },
        {
            content: "The file is there",
            trigger: ".o_field_widget[name=file] input.o_input:value('referrals.csv')",
        },
        {
            content: "Preview",
            trigger: "button.o_integration_import_preview",
            run: "click",
        },
        {
            content: "A new woman",
            trigger: `${rows}:contains('Samira Neu'):contains('New')`,
        },
        {
            content: "Open the row of the possible match",
            trigger: `${rows}:contains('Fatma Hadad'):contains('Possibly Registered') td[name=decision]`,
            run: "click",
        },
        {
            content: "Open the choices",
            trigger: `${rows}.o_selected_row .o_field_widget[name=decision] .o_select_menu_toggler`,
            run: "click",
        },
        {
            content: "It is her: link the row to her record",
            trigger:
                ".o_select_menu_menu .o_select_menu_item:contains('Link to the Registered Woman')",
            run: "click",
        },
        {
            content: "Import",
            trigger: "button.o_integration_import_confirm",
            run: "click",
        },
        {
            content: "Done, with the report in the chatter",
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains('Imported')",
        },
        {
            content: "The report of what was done",
            trigger: ".o-mail-Message:contains('1 women registered, 1 linked')",
        },
    ],
});
