import {registry} from "@web/core/registry";

const row = (name) => `.o_list_view .o_data_row:contains('${name}')`;

registry.category("web_tour.tours").add("integration_bulk_assign_tour", {
    steps: () => [
        {
            content: "Look for the two new participants",
            trigger: ".o_list_view .o_searchview_input",
            run: "edit Bulk Tour",
        },
        {
            content: "Search them",
            trigger: ".o_list_view .o_searchview_input",
            run: "press Enter",
        },
        {
            content: "The list shows only them",
            trigger:
                ".o_list_view:not(:has(.o_data_row:not(:contains('Bulk Tour')))) .o_data_row:contains('Berta Bulk Tour')",
        },
        {
            content: "Select the first",
            trigger: `${row("Bella Bulk Tour")} .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "The first is selected",
            trigger: `${row("Bella Bulk Tour")} .o_list_record_selector input:checked`,
        },
        {
            content: "Select the second",
            trigger: `${row("Bianca Bulk Tour")} .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "Both are selected",
            trigger: ".o_control_panel .o_selection_box:contains('2')",
        },
        {
            content: "Open the action menu of the selection",
            trigger:
                ".o_control_panel:has(.o_selection_box) .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Assign a coach to both",
            trigger: ".o-dropdown--menu .dropdown-item:contains('Assign Coach')",
            run: "click",
        },
        {
            content: "The dialog lists both",
            trigger:
                ".modal .o_field_widget[name=participant_ids]:contains('Bella Bulk Tour'):contains('Bianca Bulk Tour')",
        },
        {
            content: "The coach is proposed with her free places",
            trigger:
                ".modal .o_field_widget[name=suggested_coach_ids] .o_data_row:contains('Tour Bulk Coach'):contains('4')",
        },
        {
            content: "Choose the coach",
            trigger: ".modal .o_field_widget[name=coach_id] input",
            run: "edit Tour Bulk",
        },
        {
            content: "Pick her",
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Bulk Coach')",
            run: "click",
        },
        {
            content: "Assign",
            trigger: ".modal-footer button[name=action_assign]",
            run: "click",
        },
        {
            content: "The list shows their coach",
            trigger: `body:not(:has(.modal)) ${row("Bella Bulk Tour")}:contains('Tour Bulk Coach')`,
        },
    ],
});
