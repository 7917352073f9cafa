import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("integration_manager_home_tour", {
    steps: () => [
        {
            content: "Choose the programme",
            trigger: ".o_integration_home_program",
            run: "selectByLabel Home Tour Programme",
        },
        {
            content: "Open the women without contact",
            trigger:
                ".o_integration_home_figures[data-program-name='Home Tour Programme'] .o_integration_home_figure_no_contact",
            run: "click",
        },
        {
            content: "She is listed",
            trigger: ".o_list_view .o_data_row:contains('Hanna Silent')",
        },
        {
            content: "The woman seen last week is not",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Rita Recent')))",
        },
    ],
});
