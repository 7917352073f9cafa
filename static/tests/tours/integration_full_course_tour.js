import {registry} from "@web/core/registry";

const enrollments = ".o_field_widget[name=enrollment_ids]";
const newRow = `${enrollments} .o_data_row`;

registry.category("web_tour.tours").add("integration_full_course_tour", {
    steps: () => [
        {
            content: "Open her courses",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Courses')",
            run: "click",
        },
        {
            content: "Add an enrolment",
            trigger: `${enrollments} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "Look for the course",
            trigger: `${enrollments} .o_data_row .o_field_widget[name=course_id] input`,
            run: "edit Tour Full",
        },
        {
            content: "The picker says the course is full and who waits",
            trigger:
                ".o-autocomplete--dropdown-item:contains('Tour Full Course (full, 1 waiting)')",
            run: "click",
        },
        {
            content:
                "Before saving, she is already on the waiting list, second in line",
            trigger: `.o_form_view:has(.o_form_button_save) ${newRow} .o_field_widget[name=state]:contains('Waiting List')`,
        },
        {
            content: "Her place in the queue",
            trigger: `${newRow} .o_field_widget[name=waitlist_position]:contains('2')`,
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved, she stays on the waiting list",
            trigger: `.o_form_view:not(:has(.o_form_button_save:visible)) ${enrollments} .o_data_row:contains('Tour Full Course'):contains('Waiting List')`,
        },
    ],
});
