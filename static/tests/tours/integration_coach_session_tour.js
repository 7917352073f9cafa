import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("integration_coach_session_tour", {
    steps: () => [
        {
            content: "The coach opens her participant's form",
            trigger:
                ".o_form_view .o_field_widget[name=name] input:value('Nadia Session')",
        },
        {
            content: "Log a coaching session",
            trigger: ".o_form_view button[name=action_log_session]",
            run: "click",
        },
        {
            content: "Open the choice of modes",
            trigger: ".modal .o_field_widget[name=mode] .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "It was a phone call",
            trigger: ".o_select_menu_item:contains('Phone')",
            run: "click",
        },
        {
            content: "Note the topics",
            trigger: ".modal .o_field_widget[name=topics] input",
            run: "edit Training plan for elderly care",
        },
        {
            content: "Note what was agreed",
            trigger: ".modal .o_field_widget[name=next_steps] textarea",
            run: "edit Apply to two care homes",
        },
        {
            content: "Save the session",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "Her Sessions button counts it",
            trigger:
                ".o_form_view:not(:has(.modal)) button[name=action_view_sessions] .o_stat_value:contains('1')",
            run: "click",
        },
        {
            content: "The session is listed among hers",
            trigger:
                ".o_list_view .o_data_row:contains('Training plan for elderly care')",
        },
    ],
});
