import {registry} from "@web/core/registry";

const enrollments = ".o_field_widget[name=enrollment_ids]";

registry.category("web_tour.tours").add("integration_waitlist_tour", {
    steps: () => [
        {
            content: "The full course shows its ribbon",
            trigger:
                ".o_form_view:has(.ribbon:contains('Full')) .o_field_widget[name=name] input:value('Tour Course')",
        },
        {
            content: "Add an enrolment",
            trigger: `${enrollments} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "Choose the participant",
            trigger: `${enrollments} .o_data_row .o_field_widget[name=participant_id] input`,
            run: "edit Wanda Waiting",
        },
        {
            content: "Pick her from the list",
            trigger: ".o-autocomplete--dropdown-item:contains('Wanda Waiting')",
            run: "click",
        },
        {
            content: "Before saving, she is already on the waiting list",
            trigger: `.o_form_view:has(.o_form_button_save) ${enrollments} .o_data_row .o_field_widget[name=state]:contains('Waiting List')`,
        },
        {
            content: "Save the course",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "She is on the waiting list",
            trigger: `${enrollments} .o_data_row:contains('Wanda Waiting'):contains('Waiting List')`,
        },
    ],
});
