// One read of a model's data at a time: a reload asked for while a read is under way runs once
// more after it (that read may predate the change that asked), however often it was asked.
// Threading: GUI thread only, like the models that hold one.
#pragma once

namespace pinhole::app {

class ReadGate {
public:
    // In reload(): true to start a read now; false if one is under way (the reload is kept).
    bool tryStart() {
        if (m_busy) {
            m_again = true;
            return false;
        }
        m_busy = true;
        return true;
    }
    // Once a read's result is applied: true if a reload was asked meanwhile (reload() now).
    bool finish() {
        m_busy = false;
        const bool again = m_again;
        m_again = false;
        return again;
    }
    bool busy() const { return m_busy; }

private:
    bool m_busy = false;
    bool m_again = false;
};

} // namespace pinhole::app
